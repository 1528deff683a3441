// Remembers signature nonces for the replay window (15 minutes), within a memory bound.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <string>
#include <unordered_set>

namespace provision::emulator {

class NonceCache {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  // Entries older than `ttl` are forgotten; at `capacity` the oldest entry is dropped to make
  // room (so a replay older than the newest `capacity` nonces would pass: documented trade-off).
  NonceCache(std::chrono::milliseconds ttl, std::size_t capacity);

  // True and recorded when `nonce` was not seen within the window; false for a replay.
  bool remember(const std::string& nonce, TimePoint now);

  std::size_t size() const { return seen_.size(); }

 private:
  void expire(TimePoint now);

  std::chrono::milliseconds ttl_;
  std::size_t capacity_;
  std::unordered_set<std::string> seen_;
  std::deque<std::pair<TimePoint, std::string>> order_;  // oldest first
};

}  // namespace provision::emulator
