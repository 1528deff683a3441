// Retry decisions (full jitter, attempt bounds, idempotency) and server wait hints.
#include "api/retry_policy.hpp"

#include <doctest/doctest.h>

#include <chrono>

using namespace provision;
using namespace provision::api;
using std::chrono::milliseconds;

namespace {

// Always returns the same value, so jitter is exact.
class ScriptedRandom final : public Random {
 public:
  explicit ScriptedRandom(std::uint64_t value) : value_(value) {}
  std::uint64_t next() override { return value_; }

 private:
  std::uint64_t value_;
};

AttemptFailure failure(FailureKind kind, bool idempotent = false) {
  AttemptFailure f;
  f.kind = kind;
  f.idempotent = idempotent;
  return f;
}

FixedClock clock_at(std::int64_t unix_seconds) {
  return FixedClock{std::chrono::system_clock::time_point{std::chrono::seconds{unix_seconds}}};
}

}  // namespace

TEST_CASE("final failures are never retried") {
  SeededRandom random(1);
  CHECK_FALSE(decide_retry({}, failure(FailureKind::kFinal, true), 1, random).retry);
}

TEST_CASE("retryable failures are retried until max_attempts") {
  SeededRandom random(1);
  RetryOptions options;
  options.max_attempts = 3;
  CHECK(decide_retry(options, failure(FailureKind::kRetryable), 1, random).retry);
  CHECK(decide_retry(options, failure(FailureKind::kRetryable), 2, random).retry);
  CHECK_FALSE(decide_retry(options, failure(FailureKind::kRetryable), 3, random).retry);
}

TEST_CASE("ambiguous failures are retried only for idempotent calls") {
  SeededRandom random(1);
  CHECK(decide_retry({}, failure(FailureKind::kAmbiguous, true), 1, random).retry);
  CHECK_FALSE(decide_retry({}, failure(FailureKind::kAmbiguous, false), 1, random).retry);
}

TEST_CASE("full jitter stays within base * 2^(n-1), capped by max_delay") {
  RetryOptions options;
  options.base_delay = milliseconds(100);
  options.max_delay = milliseconds(1000);
  options.max_attempts = 100;
  // below(bound) is value % bound; the window has window + 1 possible delays [0, window].
  ScriptedRandom top(~std::uint64_t{0});
  for (int n = 1; n <= 8; ++n) {
    long long window = std::min<long long>(100LL << (n - 1), 1000);
    SeededRandom random(static_cast<std::uint64_t>(n));
    for (int i = 0; i < 200; ++i) {
      auto d = decide_retry(options, failure(FailureKind::kRetryable), n, random);
      REQUIRE(d.retry);
      CHECK(d.delay.count() >= 0);
      CHECK(d.delay.count() <= window);
    }
    auto d = decide_retry(options, failure(FailureKind::kRetryable), n, top);
    CHECK(d.delay.count() ==
          static_cast<long long>(~std::uint64_t{0} % static_cast<std::uint64_t>(window + 1)));
  }
}

TEST_CASE("jitter is deterministic for a seeded random source") {
  SeededRandom a(42), b(42);
  for (int n = 1; n <= 4; ++n) {
    CHECK(decide_retry({}, failure(FailureKind::kRetryable), n, a).delay ==
          decide_retry({}, failure(FailureKind::kRetryable), n, b).delay);
  }
}

TEST_CASE("throttling uses the larger base delay") {
  RetryOptions options;
  options.base_delay = milliseconds(10);
  options.throttle_base_delay = milliseconds(5000);
  ScriptedRandom random(4000);  // 4000 % 5001 == 4000, 4000 % 11 == 7
  AttemptFailure throttled = failure(FailureKind::kRetryable);
  throttled.throttled = true;
  CHECK(decide_retry(options, throttled, 1, random).delay == milliseconds(4000));
  CHECK(decide_retry(options, failure(FailureKind::kRetryable), 1, random).delay == milliseconds(7));
}

TEST_CASE("a server wait hint is a floor, capped by max_delay") {
  RetryOptions options;
  options.base_delay = milliseconds(100);
  options.max_delay = milliseconds(3000);
  ScriptedRandom random(0);
  AttemptFailure f = failure(FailureKind::kRetryable);
  f.server_wait = milliseconds(2000);
  CHECK(decide_retry(options, f, 1, random).delay == milliseconds(2000));
  f.server_wait = milliseconds(60'000);
  CHECK(decide_retry(options, f, 1, random).delay == milliseconds(3000));
}

TEST_CASE("TimeLeft: the larger of x-ratelimit-user-api and x-ratelimit-user") {
  HeaderList h = {{"X-RateLimit-User-Api", "Limit:1,Remain:0,TimeLeft:2000,Reset:1234"},
                  {"x-ratelimit-user", "Limit:10, Remain:0, TimeLeft:3500, Reset:99"}};
  CHECK(ratelimit_time_left(h) == milliseconds(3500));
  CHECK(ratelimit_time_left({{"x-ratelimit-user-api", "Limit:1,TimeLeft:250"}}) == milliseconds(250));
  CHECK_FALSE(ratelimit_time_left({{"x-ratelimit-user", "Limit:1,Remain:0"}}).has_value());
  CHECK_FALSE(ratelimit_time_left({{"x-ratelimit-user", "TimeLeft:abc"}}).has_value());
  CHECK_FALSE(ratelimit_time_left({{"x-other", "TimeLeft:100"}}).has_value());
}

TEST_CASE("Retry-After as seconds or as an HTTP date") {
  FixedClock clock = clock_at(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
  CHECK(retry_after({{"Retry-After", "3"}}, clock) == milliseconds(3000));
  CHECK(retry_after({{"retry-after", "Sun, 06 Nov 1994 08:49:47 GMT"}}, clock) == milliseconds(10'000));
  CHECK(retry_after({{"retry-after", "Sun, 06 Nov 1994 08:49:00 GMT"}}, clock) == milliseconds(0));
  CHECK_FALSE(retry_after({{"retry-after", "soon"}}, clock).has_value());
  CHECK_FALSE(retry_after({{"retry-after", "-5"}}, clock).has_value());
  CHECK(retry_after({{"retry-after", "99999999999"}}, clock) == milliseconds(86'400'000));
  // Found by fuzzing: a five-digit year overflowed the time_point conversion (UB).
  CHECK_FALSE(retry_after({{"retry-after", "Wed, 21 Oct 20260 06:28:00 GMT"}}, clock).has_value());
  CHECK_FALSE(retry_after({{"retry-after", "Sun, 06 Nov 1994 -8:49:47 GMT"}}, clock).has_value());
  CHECK(retry_after({{"retry-after", "Fri, 31 Dec 9999 23:59:59 GMT"}}, clock) == milliseconds(86'400'000));
}

TEST_CASE("server_wait_hint takes the larger hint") {
  FixedClock clock = clock_at(0);
  CHECK(server_wait_hint({{"Retry-After", "1"}, {"x-ratelimit-user", "TimeLeft:1500"}}, clock) ==
        milliseconds(1500));
  CHECK(server_wait_hint({{"Retry-After", "2"}}, clock) == milliseconds(2000));
  CHECK_FALSE(server_wait_hint({}, clock).has_value());
}

TEST_CASE("failure kinds have stable names") {
  CHECK(std::string(to_string(FailureKind::kFinal)) == "final");
  CHECK(std::string(to_string(FailureKind::kRetryable)) == "retryable");
  CHECK(std::string(to_string(FailureKind::kAmbiguous)) == "ambiguous");
}
