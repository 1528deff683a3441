// A plan together with what it was made from: the state it read, the spec files and the
// bodies it derived, and the tool that made it. One value serves `plan --out`, `plan
// --output json`, `show` and `apply --plan` (format: doc/plan-format.md).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/plan.hpp"
#include "state/state_store.hpp"

namespace provision::cli {

// The plan document's format; a reader refuses any other.
inline constexpr int kPlanFormatVersion = 1;

struct SpecFileHash {
  std::string file;    // as the plan's PATHs found it ("specs/a.yaml")
  std::string sha256;  // hex SHA-256 of the file's bytes
  bool operator==(const SpecFileHash&) const = default;
};

// What a plan was made from and how.
struct PlanProvenance {
  std::string provision_version;
  std::string schema_sha256;  // hex SHA-256 of the RayCluster schema the specs were checked with
  state::StoreIdentity store;
  std::string lineage;
  std::uint64_t serial = 0;
  std::vector<std::string> paths;  // the PATH arguments, as typed
  std::vector<SpecFileHash> spec_files;
  engine::PlanOptions options;
  bool refresh = false;
};

struct SavedPlan {
  PlanProvenance provenance;
  engine::Plan plan;  // actions without bodies (apply --plan derives them again)
  // The SHA-256 of every desired cluster's body, no-change ones included.
  std::map<state::ClusterIdentity, std::string> body_sha256;
};

}  // namespace provision::cli
