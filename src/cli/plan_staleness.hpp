// Whether a saved plan may still be applied: the pure comparison of what the plan was made
// from with what `apply --plan` finds now (tests/unit/cli/plan_staleness_test.cpp).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cli/saved_plan.hpp"

namespace provision::cli {

// What apply --plan read just now, under the state lock.
struct CurrentInputs {
  std::string provision_version;
  std::string schema_sha256;
  state::StoreIdentity store;
  std::string lineage;
  std::uint64_t serial = 0;
  std::vector<SpecFileHash> spec_files;
  std::map<state::ClusterIdentity, std::string> body_sha256;  // every desired cluster
};

struct StalenessReport {
  std::vector<std::string> refusals;  // any one refuses the plan; each names what changed
  std::vector<std::string> notes;     // harmless differences (a spec file edited, same bodies)
};

// Refused when the tool or schema differ, the state is another one or moved on (serial,
// lineage), a spec file was added or removed, a cluster appeared or disappeared, or any
// body hash differs. A spec file whose bytes changed but whose bodies did not is a note.
StalenessReport check_saved_plan(const SavedPlan& saved, const CurrentInputs& now);

}  // namespace provision::cli
