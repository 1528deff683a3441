// Real clock and random sources, and the UTC date format used on the wire.
#include "core/clock.hpp"

#include <ctime>

namespace provision {

std::string Random::hex_nonce() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(32);
  for (int half = 0; half < 2; ++half) {
    std::uint64_t v = next();
    for (int i = 0; i < 16; ++i) {
      out += kHex[v & 0xF];
      v >>= 4;
    }
  }
  return out;
}

OsRandom::OsRandom() {
  std::random_device rd;
  engine_.seed((static_cast<std::uint64_t>(rd()) << 32) ^ rd());
}

std::string format_iso8601_utc(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace provision
