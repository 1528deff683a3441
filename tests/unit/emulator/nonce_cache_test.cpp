#include "emulator/nonce_cache.hpp"

#include <doctest/doctest.h>

using namespace provision::emulator;

TEST_CASE("nonces are remembered for the window, then forgotten") {
  NonceCache cache(std::chrono::minutes(15), 100);
  std::chrono::system_clock::time_point t{};
  CHECK(cache.remember("a", t));
  CHECK_FALSE(cache.remember("a", t + std::chrono::minutes(14)));
  CHECK(cache.remember("a", t + std::chrono::minutes(15)));
}

TEST_CASE("the cache never grows past its capacity") {
  NonceCache cache(std::chrono::minutes(15), 3);
  std::chrono::system_clock::time_point t{};
  for (const char* n : {"a", "b", "c", "d"}) CHECK(cache.remember(n, t));
  CHECK(cache.size() == 3);
  CHECK_FALSE(cache.remember("d", t));
  CHECK(cache.remember("a", t));  // the oldest was dropped to make room
}
