// Fixed one-second windows aligned to wall-clock seconds; simple and predictable for tests.
#include "emulator/rate_limiter.hpp"

namespace provision::emulator {
namespace {

std::int64_t epoch_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

std::string RateDecision::header_value() const {
  return "Limit:" + std::to_string(limit) + ",Remain:" + std::to_string(remaining) +
         ",TimeLeft:" + std::to_string(time_left_ms) + ",Reset:" + std::to_string(reset_s);
}

RateDecision RateLimiter::admit(const std::string& key, std::chrono::system_clock::time_point now) {
  RateDecision d = exhausted(now);
  if (!enabled()) return d;
  std::int64_t second = epoch_ms(now) / 1000;
  // Keys are authenticated access key ids, so this map stays as small as the key table.
  Window& w = windows_[key];
  if (w.second != second) w = Window{second, 0};
  d.allowed = w.used < per_second_;
  if (d.allowed) ++w.used;
  d.remaining = per_second_ - w.used;
  return d;
}

RateDecision RateLimiter::exhausted(std::chrono::system_clock::time_point now) const {
  std::int64_t ms = epoch_ms(now);
  RateDecision d;
  d.allowed = false;
  d.limit = per_second_ > 0 ? per_second_ : 0;
  d.remaining = 0;
  d.time_left_ms = 1000 - ms % 1000;
  d.reset_s = ms / 1000 + 1;
  return d;
}

}  // namespace provision::emulator
