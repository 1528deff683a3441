// A FIFO of (time, nonce) beside a hash set: O(1) lookups, expiry from the front.
#include "emulator/nonce_cache.hpp"

namespace provision::emulator {

NonceCache::NonceCache(std::chrono::milliseconds ttl, std::size_t capacity)
    : ttl_(ttl), capacity_(capacity == 0 ? 1 : capacity) {}

void NonceCache::expire(TimePoint now) {
  while (!order_.empty() && (order_.front().first + ttl_ <= now || seen_.size() >= capacity_)) {
    seen_.erase(order_.front().second);
    order_.pop_front();
  }
}

bool NonceCache::remember(const std::string& nonce, TimePoint now) {
  // Expire first so that a nonce whose window has passed may be used again.
  while (!order_.empty() && order_.front().first + ttl_ <= now) {
    seen_.erase(order_.front().second);
    order_.pop_front();
  }
  if (seen_.count(nonce) != 0) return false;
  expire(now);
  seen_.insert(nonce);
  order_.emplace_back(now, nonce);
  return true;
}

}  // namespace provision::emulator
