#include "emulator/rate_limiter.hpp"

#include <doctest/doctest.h>

#include "handler_harness.hpp"

using namespace provision;
using namespace provision::emulator;
using namespace provision::emulator::test;

TEST_CASE("the rate limiter allows N per second per key and reports the window") {
  RateLimiter limiter(2);
  std::chrono::system_clock::time_point t{std::chrono::milliseconds(1'800'000'000'250)};
  CHECK(limiter.admit("a", t).allowed);
  auto second = limiter.admit("a", t);
  CHECK(second.allowed);
  CHECK(second.remaining == 0);
  auto third = limiter.admit("a", t);
  CHECK_FALSE(third.allowed);
  CHECK(third.header_value() == "Limit:2,Remain:0,TimeLeft:750,Reset:1800000001");
  CHECK(limiter.admit("b", t).allowed);  // another key has its own budget
  CHECK(limiter.admit("a", t + std::chrono::milliseconds(750)).allowed);
  CHECK_FALSE(RateLimiter(0).enabled());
}

TEST_CASE("above --rate-limit the handler answers Throttling with x-ratelimit-user-api") {
  HandlerSettings s = fast_settings();
  s.rate_limit = 3;
  Harness h(s);
  for (int i = 0; i < 3; ++i) {
    auto r = h.call("GET", kBase, "ListRayCluster");
    CHECK(r.status == 200);
    CHECK(header_of(r, "x-ratelimit-user-api").find("Limit:3,Remain:" + std::to_string(2 - i)) == 0);
  }
  auto r = h.call("GET", kBase, "ListRayCluster");
  CHECK(r.status == 400);
  CHECK(code_of(r) == "Throttling");
  CHECK(header_of(r, "x-ratelimit-user-api") == "Limit:3,Remain:0,TimeLeft:1000,Reset:1800000001");
  h.advance(std::chrono::seconds(1));
  CHECK(h.call("GET", kBase, "ListRayCluster").status == 200);
}
