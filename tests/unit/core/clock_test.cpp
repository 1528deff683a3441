#include "core/clock.hpp"

#include <doctest/doctest.h>

using namespace provision;

TEST_CASE("x-acs-date format and nonces") {
  FixedClock clock{std::chrono::system_clock::time_point{std::chrono::seconds{1698315752}}};
  CHECK(format_iso8601_utc(clock.now()) == "2023-10-26T10:22:32Z");
  SeededRandom a{7}, b{7};
  auto n = a.hex_nonce();
  CHECK(n.size() == 32);
  CHECK(n == b.hex_nonce());
  CHECK(n != a.hex_nonce());
  CHECK(n.find_first_not_of("0123456789abcdef") == std::string::npos);
}
