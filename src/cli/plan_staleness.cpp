// The refusal rules of apply --plan, as data in, messages out.
#include "cli/plan_staleness.hpp"

#include <set>

namespace provision::cli {
namespace {

std::map<std::string, std::string> by_file(const std::vector<SpecFileHash>& files) {
  std::map<std::string, std::string> m;
  for (const auto& f : files) m[f.file] = f.sha256;
  return m;
}

void compare_state(const PlanProvenance& p, const CurrentInputs& now, StalenessReport& r) {
  if (p.store.kind != now.store.kind || p.store.location != now.store.location ||
      p.store.name != now.store.name) {
    r.refusals.push_back("the plan was made against the " + state::describe(p.store) + ", not the " +
                         state::describe(now.store) + " this apply uses");
    return;
  }
  // Serial 0: nothing was ever saved, and each load makes up a fresh lineage.
  if (p.serial == 0 && now.serial == 0) return;
  if (p.serial != 0 && p.lineage != now.lineage)
    r.refusals.push_back("stale plan: the state changed since it was made; plan again (lineage " + p.lineage +
                         " is now " + now.lineage + ")");
  else if (p.serial != now.serial)
    r.refusals.push_back("stale plan: the state changed since it was made; plan again (serial " +
                         std::to_string(p.serial) + " is now " + std::to_string(now.serial) + ")");
}

void compare_files(const PlanProvenance& p, const CurrentInputs& now, StalenessReport& r) {
  const auto before = by_file(p.spec_files);
  const auto after = by_file(now.spec_files);
  for (const auto& [file, hash] : before) {
    auto it = after.find(file);
    if (it == after.end())
      r.refusals.push_back("spec file " + file + " was removed since the plan was made");
    else if (it->second != hash)
      r.notes.push_back("spec file " + file + " changed since the plan was made, but its bodies did not");
  }
  for (const auto& [file, hash] : after)
    if (!before.count(file)) r.refusals.push_back("spec file " + file + " was added since the plan was made");
}

void compare_bodies(const SavedPlan& saved, const CurrentInputs& now, StalenessReport& r) {
  for (const auto& [id, hash] : saved.body_sha256) {
    auto it = now.body_sha256.find(id);
    if (it == now.body_sha256.end())
      r.refusals.push_back("cluster " + state::describe(id) + " is no longer in the specs");
    else if (it->second != hash)
      r.refusals.push_back("the body of cluster " + state::describe(id) +
                           " differs from the plan's (its spec or a ${VAR} it uses changed)");
  }
  for (const auto& [id, hash] : now.body_sha256)
    if (!saved.body_sha256.count(id))
      r.refusals.push_back("cluster " + state::describe(id) + " is not in the plan");
}

}  // namespace

StalenessReport check_saved_plan(const SavedPlan& saved, const CurrentInputs& now) {
  StalenessReport r;
  const PlanProvenance& p = saved.provenance;
  if (p.provision_version != now.provision_version)
    r.refusals.push_back("the plan was made by provision " + p.provision_version + "; this is provision " +
                         now.provision_version + ": plan again with this version");
  if (p.schema_sha256 != now.schema_sha256)
    r.refusals.push_back("the plan was checked with another RayCluster schema; plan again");
  compare_state(p, now, r);
  compare_files(p, now, r);
  compare_bodies(saved, now, r);
  // A file edit that changed a body is already refused; do not also call it harmless.
  if (!r.refusals.empty()) r.notes.clear();
  return r;
}

}  // namespace provision::cli
