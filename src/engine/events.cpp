// Summary counts and the exit kind of a run.
#include "engine/events.hpp"

namespace provision::engine {

std::size_t RunSummary::count(ActionKind action, bool ok) const {
  std::size_t n = 0;
  for (const auto& r : results) n += r.action == action && r.ok == ok ? 1 : 0;
  return n;
}

std::size_t RunSummary::failed() const {
  std::size_t n = 0;
  for (const auto& r : results) n += r.ok ? 0 : 1;
  return n;
}

ErrorKind RunSummary::failure_kind() const {
  bool all_network = true;
  for (const auto& r : results) {
    if (r.ok) continue;
    if (r.failure == ErrorKind::kState) return ErrorKind::kState;
    if (r.failure != ErrorKind::kNetwork) all_network = false;
  }
  return all_network ? ErrorKind::kNetwork : ErrorKind::kApi;
}

}  // namespace provision::engine
