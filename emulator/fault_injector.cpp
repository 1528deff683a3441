// splitmix64 over (seed, sequence number): no hidden generator state to drift.
#include "emulator/fault_injector.hpp"

#include "core/error.hpp"

namespace provision::emulator {
namespace {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

constexpr FaultKind kKinds[] = {FaultKind::kInternalError, FaultKind::kUnavailable,     FaultKind::kThrottle,
                                FaultKind::kReset,         FaultKind::kDropAfterCommit, FaultKind::kSlow};

}  // namespace

std::string_view fault_name(FaultKind kind) {
  switch (kind) {
    case FaultKind::kNone:
      return "";
    case FaultKind::kInternalError:
      return "internal-error";
    case FaultKind::kUnavailable:
      return "unavailable";
    case FaultKind::kThrottle:
      return "throttle";
    case FaultKind::kReset:
      return "reset";
    case FaultKind::kDropAfterCommit:
      return "drop-after-commit";
    case FaultKind::kSlow:
      return "slow";
  }
  return "";
}

std::vector<FaultKind> all_fault_kinds() { return {std::begin(kKinds), std::end(kKinds)}; }

std::vector<FaultKind> parse_fault_list(std::string_view list) {
  std::vector<FaultKind> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    std::string_view item = list.substr(start, end - start);
    bool known = false;
    for (FaultKind k : kKinds) {
      if (fault_name(k) == item) {
        out.push_back(k);
        known = true;
      }
    }
    if (!known) {
      std::string names;
      for (FaultKind k : kKinds) names += (names.empty() ? "" : ", ") + std::string(fault_name(k));
      throw Error(ErrorKind::kUsage, "--faults: unknown fault '" + std::string(item) +
                                         "' (expected a comma-separated list of " + names + ")");
    }
    start = end + 1;
  }
  return out;
}

FaultKind FaultInjector::draw() {
  std::uint64_t n = sequence_++;
  if (settings_.rate <= 0.0 || settings_.kinds.empty()) return FaultKind::kNone;
  std::uint64_t x = splitmix64(settings_.seed ^ splitmix64(n));
  double u = static_cast<double>(x >> 11) * 0x1.0p-53;  // uniform in [0, 1)
  if (u >= settings_.rate) return FaultKind::kNone;
  return settings_.kinds[splitmix64(x) % settings_.kinds.size()];
}

}  // namespace provision::emulator
