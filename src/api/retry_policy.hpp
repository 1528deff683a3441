// When and how long to wait before retrying an API call: pure decisions from the
// failure kind, the attempt number, server hints and an injected random source.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"

namespace provision::api {

// How a failed call may be handled (api_error.hpp classifies responses into it).
enum class FailureKind {
  kFinal,      // rejected by the API (4xx) or otherwise not worth repeating
  kRetryable,  // transient: throttling, 5xx, or a connection failure before sending
  kAmbiguous,  // the request may have reached the server (timeout or reset after sending)
};

// "final", "retryable" or "ambiguous".
const char* to_string(FailureKind kind);

struct RetryOptions {
  int max_attempts = 4;                                 // first try included
  std::chrono::milliseconds base_delay{200};            // transient failures
  std::chrono::milliseconds throttle_base_delay{1000};  // Throttling*: pure jitter near 0 is harmful
  std::chrono::milliseconds max_delay{20'000};          // cap on any single wait, hints included
};

// What the caller knows about one failed attempt.
struct AttemptFailure {
  FailureKind kind = FailureKind::kFinal;
  bool idempotent = false;                               // GET/List: safe to repeat even when ambiguous
  bool throttled = false;                                // code Throttling, Throttling.User, Throttling.Api
  std::optional<std::chrono::milliseconds> server_wait;  // TimeLeft or Retry-After
};

struct RetryDecision {
  bool retry = false;
  std::chrono::milliseconds delay{0};
};

// Decides after `attempts_done` (>= 1) attempts. Full jitter: a uniform delay in
// [0, min(max_delay, base * 2^(attempts_done-1))]; a server hint is a floor.
RetryDecision decide_retry(const RetryOptions& options, const AttemptFailure& failure, int attempts_done,
                           Random& random);

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// The larger TimeLeft (ms) of x-ratelimit-user-api and x-ratelimit-user
// ("Limit:1,Remain:0,TimeLeft:2000,Reset:1234"), as the official SDK reads it.
std::optional<std::chrono::milliseconds> ratelimit_time_left(const HeaderList& headers);

// Retry-After as delta-seconds or an IMF-fixdate relative to `clock`.
std::optional<std::chrono::milliseconds> retry_after(const HeaderList& headers, const Clock& clock);

// The larger of both hints, if any.
std::optional<std::chrono::milliseconds> server_wait_hint(const HeaderList& headers, const Clock& clock);

}  // namespace provision::api
