// Per-access-key request budget per second (--rate-limit N), reported the way Alibaba's
// gateway does in x-ratelimit-user-api.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace provision::emulator {

struct RateDecision {
  bool allowed = true;
  int limit = 0;
  int remaining = 0;
  std::int64_t time_left_ms = 0;  // until the current one-second window ends
  std::int64_t reset_s = 0;       // Unix time (seconds) at which the window ends

  // "Limit:N,Remain:R,TimeLeft:<ms>,Reset:<s>".
  std::string header_value() const;
};

class RateLimiter {
 public:
  // `per_second` <= 0 turns limiting off (every request is allowed).
  explicit RateLimiter(int per_second) : per_second_(per_second) {}

  bool enabled() const { return per_second_ > 0; }

  // Counts one request of `key` in the window containing `now`.
  RateDecision admit(const std::string& key, std::chrono::system_clock::time_point now);

  // A decision for an injected throttle fault: nothing left in the current window.
  RateDecision exhausted(std::chrono::system_clock::time_point now) const;

 private:
  struct Window {
    std::int64_t second = 0;
    int used = 0;
  };
  int per_second_;
  std::unordered_map<std::string, Window> windows_;
};

}  // namespace provision::emulator
