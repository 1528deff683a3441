// Phase names and small lookups on the in-memory state.
#include "state/cluster_state.hpp"

namespace provision::state {

std::string phase_name(Phase phase) {
  switch (phase) {
    case Phase::kPendingCreate:
      return "pending-create";
    case Phase::kCreated:
      return "created";
    case Phase::kPendingDelete:
      return "pending-delete";
  }
  return "unknown";
}

std::optional<Phase> parse_phase(const std::string& name) {
  for (Phase p : {Phase::kPendingCreate, Phase::kCreated, Phase::kPendingDelete})
    if (phase_name(p) == name) return p;
  return std::nullopt;
}

std::string describe(const ClusterIdentity& identity) {
  return identity.name + " (workspace " + identity.workspace_id + ", region " + identity.region_id + ")";
}

const ClusterRecord* State::find_by_name(const std::string& name) const {
  const ClusterRecord* found = nullptr;
  for (const auto& [identity, record] : clusters) {
    if (identity.name != name) continue;
    if (found) return nullptr;
    found = &record;
  }
  return found;
}

std::size_t State::count_by_name(const std::string& name) const {
  std::size_t n = 0;
  for (const auto& [identity, record] : clusters) n += identity.name == name ? 1 : 0;
  return n;
}

}  // namespace provision::state
