// Injectable time and randomness: signing dates, nonces and backoff jitter are
// deterministic under test because nothing reads the real clock directly.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace provision {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
};

// A clock that stays where a test puts it.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::chrono::system_clock::time_point t) : t_(t) {}
  std::chrono::system_clock::time_point now() const override { return t_; }
  void advance(std::chrono::milliseconds d) { t_ += d; }

 private:
  std::chrono::system_clock::time_point t_;
};

// Elapsed time for deadlines and durations: never jumps with the wall clock.
class MonotonicClock {
 public:
  virtual ~MonotonicClock() = default;
  virtual std::chrono::steady_clock::time_point now() const = 0;
};

class SteadyMonotonicClock final : public MonotonicClock {
 public:
  std::chrono::steady_clock::time_point now() const override { return std::chrono::steady_clock::now(); }
};

// The process's one steady clock, for callers that do not inject another.
const MonotonicClock& default_monotonic_clock();

// Source of random numbers: seeded from the OS by default, fixed in tests.
class Random {
 public:
  virtual ~Random() = default;
  virtual std::uint64_t next() = 0;
  // Uniform in [0, bound).
  std::uint64_t below(std::uint64_t bound) { return bound == 0 ? 0 : next() % bound; }
  // 32 lowercase hex characters, as the official SDK sends for x-acs-signature-nonce.
  std::string hex_nonce();
};

class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t next() override { return engine_(); }

 private:
  std::mt19937_64 engine_;
};

// Seeded once from std::random_device.
class OsRandom final : public Random {
 public:
  OsRandom();
  std::uint64_t next() override { return engine_(); }

 private:
  std::mt19937_64 engine_;
};

// "YYYY-MM-DDTHH:MM:SSZ" in UTC, the x-acs-date format.
std::string format_iso8601_utc(std::chrono::system_clock::time_point t);

// Parses exactly "YYYY-MM-DDTHH:MM:SSZ" (UTC, years 1970-2200); nullopt for anything else.
std::optional<std::chrono::system_clock::time_point> parse_iso8601_utc(std::string_view text);

}  // namespace provision
