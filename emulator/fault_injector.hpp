// Deterministic fault injection (--faults, --fault-rate, --seed): the n-th request that
// reaches an operation gets the same fault for the same seed, whatever the timing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace provision::emulator {

enum class FaultKind {
  kNone,
  kInternalError,    // 500 InternalError, nothing done
  kUnavailable,      // 503 ServiceUnavailable, nothing done
  kThrottle,         // 400 Throttling with x-ratelimit-user-api, nothing done
  kReset,            // connection closed before doing the operation
  kDropAfterCommit,  // operation done and persisted, connection closed without an answer
  kSlow,             // operation done and persisted, answer sent after --slow-delay
};

// The --faults spelling, e.g. "drop-after-commit"; "" for kNone.
std::string_view fault_name(FaultKind kind);

// Parses "internal-error,reset"; throws Error(kUsage) naming an unknown entry.
std::vector<FaultKind> parse_fault_list(std::string_view list);

// Every kind except kNone, in declaration order.
std::vector<FaultKind> all_fault_kinds();

struct FaultSettings {
  double rate = 0.0;  // probability in [0, 1] that a request gets a fault
  std::vector<FaultKind> kinds = all_fault_kinds();
  std::uint64_t seed = 0;
};

class FaultInjector {
 public:
  explicit FaultInjector(FaultSettings settings) : settings_(std::move(settings)) {}

  // The fault for the next request (kNone most of the time); advances the sequence.
  FaultKind draw();

  // How many requests have drawn so far.
  std::uint64_t draws() const { return sequence_; }

 private:
  FaultSettings settings_;
  std::uint64_t sequence_ = 0;
};

}  // namespace provision::emulator
