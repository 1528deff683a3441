#include "emulator/access_keys.hpp"

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "support/temp_dir.hpp"

using namespace provision;
using namespace provision::emulator;

TEST_CASE("access key lists: id:secret and id:secret:token") {
  auto table =
      parse_access_keys("# keys\nak1:secret1\n\nSTS.ak2:secret2:token/with+chars=\n", '\n', "keys.txt");
  CHECK(table.size() == 2);
  REQUIRE(table.find("ak1"));
  CHECK(table.find("ak1")->secret == "secret1");
  CHECK(table.find("ak1")->security_token.empty());
  REQUIRE(table.find("STS.ak2"));
  CHECK(table.find("STS.ak2")->security_token == "token/with+chars=");
  CHECK(parse_access_keys("a:b, c:d", ',', "env").size() == 2);
}

TEST_CASE("bad access key entries are reported without echoing secrets") {
  CHECK_THROWS_WITH_AS(parse_access_keys("ak1:secret1\nno-colon-here", '\n', "keys.txt"),
                       "keys.txt: entry 2: expected id:secret or id:secret:sts-token", Error);
  CHECK_THROWS_WITH_AS(parse_access_keys("ak1:", '\n', "f"), "f: entry 1: the secret is empty", Error);
  CHECK_THROWS_WITH_AS(parse_access_keys("a:s1\na:s2", '\n', "f"), doctest::Contains("repeats"), Error);
  CHECK_THROWS_WITH_AS(parse_access_keys("\n# only comments\n", '\n', "f"), "f: no access keys", Error);
}

TEST_CASE("the file wins over the environment, which wins over the demo key") {
  provision::test::TempDir dir;
  auto file = dir.write("keys", "file-key:file-secret\n");
  CHECK(load_access_keys(file.string(), "env-key:env-secret").find("file-key"));
  CHECK(load_access_keys(std::nullopt, "env-key:env-secret").find("env-key"));
  auto demo = load_access_keys(std::nullopt, nullptr);
  REQUIRE(demo.find(kDemoAccessKeyId));
  CHECK(demo.find(kDemoAccessKeyId)->secret == kDemoAccessKeySecret);
  CHECK_THROWS_AS(load_access_keys((dir / "missing").string(), nullptr), Error);
}
