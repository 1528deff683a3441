// SHA-256 / HMAC-SHA256 against published vectors (FIPS 180-2, RFC 4231) and constant-time equality.
#include <doctest/doctest.h>

#include "api/signing/digest.hpp"

using namespace provision::api;

TEST_CASE("hex_sha256 matches FIPS 180-2 vectors") {
  CHECK(hex_sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex_sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex_sha256("{}") == "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  const std::string with_nul("a\0b", 3);
  CHECK(hex_sha256(with_nul) != hex_sha256("ab"));
}

TEST_CASE("hex_hmac_sha256 matches RFC 4231 test cases") {
  // Test case 2: key "Jefe".
  CHECK(hex_hmac_sha256("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 1: key = 20 x 0x0b.
  CHECK(hex_hmac_sha256(std::string(20, '\x0b'), "Hi There") ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // Empty key is valid HMAC input (RFC 2104), result computed with python3 hmac.
  CHECK(hex_hmac_sha256("", "") == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST_CASE("constant_time_equal") {
  CHECK(constant_time_equal("", ""));
  CHECK(constant_time_equal("abc", "abc"));
  CHECK_FALSE(constant_time_equal("abc", "abd"));
  CHECK_FALSE(constant_time_equal("abc", "ab"));
  CHECK_FALSE(constant_time_equal("", "a"));
}
