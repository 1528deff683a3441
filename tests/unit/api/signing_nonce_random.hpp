// Test Random whose hex_nonce() returns a chosen 32-hex-digit nonce (to replay published vectors).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace provision::test {

class NonceRandom final : public Random {
 public:
  explicit NonceRandom(std::string_view nonce) : nonce_(nonce) {
    if (nonce_.size() != 32) throw std::invalid_argument("nonce must have 32 hex digits");
  }
  // Random::hex_nonce() writes the low nibble of each 64-bit value first; invert that.
  std::uint64_t next() override {
    const std::string_view half = std::string_view{nonce_}.substr((calls_++ % 2) * 16, 16);
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < half.size(); ++i) {
      v |= static_cast<std::uint64_t>(digit(half[i])) << (4 * i);
    }
    return v;
  }

 private:
  static unsigned digit(char c) {
    if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
    throw std::invalid_argument("nonce must be lower-case hex");
  }
  std::string nonce_;
  std::size_t calls_ = 0;
};

}  // namespace provision::test
