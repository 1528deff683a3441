// Plan decisions. The rules for a cluster without a clusterId follow the
// create-pending protocol (doc/state-format.md): look up by name, adopt exactly
// one, create on none, and never guess between several.
#include "engine/plan.hpp"

#include <filesystem>
#include <map>
#include <set>

namespace provision::engine {
namespace fs = std::filesystem;
using state::ClusterIdentity;
using state::ClusterRecord;
using state::Phase;
namespace {

WorkspaceKey workspace_of(const ClusterIdentity& id) { return {id.region_id, id.workspace_id}; }

const std::vector<LiveCluster>* listing(const LiveClusters& live, const ClusterIdentity& id) {
  auto it = live.find(workspace_of(id));
  return it == live.end() ? nullptr : &it->second;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// Only actions that send the body carry a copy of it (see sends_body); a no-op plan of
// thousands of clusters would otherwise hold every body twice.
PlannedAction action_for(ActionKind kind, const DesiredCluster& d, bool with_body = true) {
  PlannedAction a;
  a.kind = kind;
  a.identity = d.identity;
  a.spec_file = d.spec_file;
  if (with_body) a.desired = d;
  return a;
}

// A spec's name is taken by a cluster the state does not know: import it, or adopt it.
Hint import_or_adopt(const DesiredCluster& d, const std::string& cluster_id) {
  Hint h = hint_of(HintKind::kImportOrAdopt);
  h.name = d.identity.name;
  h.cluster_id = cluster_id;
  h.spec_file = d.spec_file;
  return h;
}

// A cluster the state does not know (or whose create may not have happened):
// the workspace listing decides.
PlannedAction decide_by_name(const DesiredCluster& d, const LiveClusters& live, const PlanOptions& options) {
  const auto* clusters = listing(live, d.identity);
  if (!clusters) return action_for(ActionKind::kCreate, d);
  const auto ids = ids_named(*clusters, d.identity.name);
  if (ids.empty()) return action_for(ActionKind::kCreate, d);
  if (ids.size() > 1) {
    PlannedAction a = action_for(ActionKind::kConflict, d);
    a.candidates = ids;
    a.note = std::to_string(ids.size()) + " clusters named '" + d.identity.name + "' exist in workspace " +
             d.identity.workspace_id + " (" + join(ids) + "); provision will not guess which one is yours";
    return a;
  }
  PlannedAction a = action_for(options.adopt ? ActionKind::kAdopt : ActionKind::kUnmanaged, d);
  a.cluster_id = ids.front();
  a.update_after_adopt = true;
  if (options.adopt) {
    a.note = "adopt the existing cluster " + ids.front() + " and update it to the spec";
    return a;
  }
  a.note = "cluster " + ids.front() + " named '" + d.identity.name +
           "' already exists but is not managed by provision";
  a.hint = import_or_adopt(d, ids.front());
  return a;
}

PlannedAction decide_pending_create(const DesiredCluster& d, const ClusterRecord& r, const LiveClusters& live,
                                    const PlanOptions& options) {
  PlannedAction a = decide_by_name(d, live, options);
  a.resolves_pending_create = true;
  if (a.kind == ActionKind::kUnmanaged || a.kind == ActionKind::kAdopt) {
    // The earlier run's create succeeded: adopting it is the point of the pending record.
    a.kind = ActionKind::kAdopt;
    a.update_after_adopt = r.body_sha256 != d.body_sha256;
    if (a.update_after_adopt) a.diff = diff_bodies(r.applied_body, d.redacted_body);
    a.note = "a create from an earlier run succeeded: adopt " + a.cluster_id;
  } else if (a.kind == ActionKind::kCreate) {
    a.note = listing(live, d.identity)
                 ? "a create from an earlier run did not happen: create it"
                 : "a create from an earlier run may have happened: look it up by name first";
  }
  return a;
}

PlannedAction decide_created(const DesiredCluster& d, const ClusterRecord& r, const LiveClusters& live,
                             const PlanOptions& options) {
  if (const auto* clusters = listing(live, d.identity)) {
    const LiveCluster* found = find_live(*clusters, r.cluster_id);
    if (!found) {
      PlannedAction a = decide_by_name(d, live, options);
      a.drift = true;
      if (a.kind == ActionKind::kCreate)
        a.note = "cluster " + r.cluster_id + " was deleted outside provision";
      return a;
    }
    if (r.body_sha256 == d.body_sha256) {
      auto drift = drift_changes(d.redacted_body, found->raw);
      if (!drift.empty()) {
        PlannedAction a = action_for(ActionKind::kUpdate, d);
        a.cluster_id = r.cluster_id;
        a.drift = true;
        a.diff = std::move(drift);
        a.note = "changed outside provision";
        return a;
      }
    }
  }
  const bool same = r.body_sha256 == d.body_sha256;
  PlannedAction a = action_for(same ? ActionKind::kNoChange : ActionKind::kUpdate, d, !same);
  a.cluster_id = r.cluster_id;
  if (a.kind == ActionKind::kUpdate) {
    a.diff = diff_bodies(r.applied_body, d.redacted_body);
    if (r.body_sha256.empty())
      a.note = "the applied body is not known (imported): send the spec's body";
    else if (a.diff.empty())
      a.note = "a secret value changed";
  }
  return a;
}

PlannedAction decide_existing(const DesiredCluster& d, const ClusterRecord& r, const LiveClusters& live,
                              const PlanOptions& options) {
  if (r.phase == Phase::kPendingCreate) return decide_pending_create(d, r, live, options);
  if (r.phase == Phase::kPendingDelete) {
    const auto* clusters = listing(live, d.identity);
    if (clusters && !find_live(*clusters, r.cluster_id)) {
      PlannedAction a = decide_by_name(d, live, options);
      a.note = "an interrupted destroy removed " + r.cluster_id;
      return a;
    }
  }
  return decide_created(d, r, live, options);
}

PlannedAction orphan_action(const ClusterRecord& r, ActionKind kind) {
  PlannedAction a;
  a.kind = kind;
  a.identity = r.identity;
  a.spec_file = r.spec_file;
  a.cluster_id = r.cluster_id;
  return a;
}

fs::path normal(const std::string& p) {
  fs::path n = fs::absolute(fs::path(p)).lexically_normal();
  return n.has_filename() ? n : n.parent_path();
}

}  // namespace

std::string action_name(ActionKind kind) {
  switch (kind) {
    case ActionKind::kCreate:
      return "create";
    case ActionKind::kUpdate:
      return "update";
    case ActionKind::kDelete:
      return "delete";
    case ActionKind::kReplace:
      return "replace";
    case ActionKind::kAdopt:
      return "adopt";
    case ActionKind::kNoChange:
      return "no-change";
    case ActionKind::kNotInSpecs:
      return "not-in-specs";
    case ActionKind::kUnmanaged:
      return "unmanaged";
    case ActionKind::kConflict:
      return "conflict";
    case ActionKind::kRefusedReplace:
      return "refused-replace";
  }
  return "?";
}

bool sends_body(ActionKind kind) {
  return kind == ActionKind::kCreate || kind == ActionKind::kUpdate || kind == ActionKind::kAdopt ||
         kind == ActionKind::kReplace;
}

bool changes_something(ActionKind kind) { return sends_body(kind) || kind == ActionKind::kDelete; }

bool is_blocked(ActionKind kind) {
  return kind == ActionKind::kUnmanaged || kind == ActionKind::kConflict ||
         kind == ActionKind::kRefusedReplace;
}

bool Plan::has_changes() const {
  for (const auto& a : actions)
    if (changes_something(a.kind)) return true;
  return false;
}

bool Plan::has_blocked() const {
  for (const auto& a : actions)
    if (is_blocked(a.kind)) return true;
  return false;
}

bool in_scope(const std::string& spec_file, const std::vector<std::string>& paths) {
  if (paths.empty()) return true;
  if (spec_file.empty()) return false;  // imported without a spec file: only "everything" covers it
  const std::string file = normal(spec_file).string();
  for (const auto& p : paths) {
    const std::string root = normal(p).string();
    if (file == root) return true;
    const std::string prefix = root.back() == '/' ? root : root + "/";
    if (file.compare(0, prefix.size(), prefix) == 0) return true;
  }
  return false;
}

std::vector<WorkspaceKey> workspaces_to_list(const std::vector<DesiredCluster>& desired,
                                             const state::State& state, const std::vector<std::string>& scope,
                                             bool refresh) {
  std::set<WorkspaceKey> keys;
  for (const auto& d : desired) {
    auto it = state.clusters.find(d.identity);
    if (refresh || it == state.clusters.end() || it->second.phase != Phase::kCreated)
      keys.insert(workspace_of(d.identity));
  }
  if (refresh)
    for (const auto& [id, r] : state.clusters)
      if (in_scope(r.spec_file, scope)) keys.insert(workspace_of(id));
  return {keys.begin(), keys.end()};
}

Plan make_plan(const std::vector<DesiredCluster>& desired, const state::State& state,
               const std::vector<std::string>& scope, const LiveClusters& live, const PlanOptions& options) {
  Plan plan;
  plan.actions.reserve(desired.size());
  std::set<ClusterIdentity> wanted;
  for (const auto& d : desired) wanted.insert(d.identity);
  // Managed clusters in scope whose identity no spec has any more.
  std::map<std::string, std::vector<const ClusterRecord*>> orphans_by_file;
  for (const auto& [id, r] : state.clusters)
    if (!wanted.count(id) && in_scope(r.spec_file, scope)) orphans_by_file[r.spec_file].push_back(&r);
  std::map<std::string, int> new_per_file;
  for (const auto& d : desired)
    if (!state.clusters.count(d.identity)) ++new_per_file[d.spec_file];

  std::set<const ClusterRecord*> paired;
  for (const auto& d : desired) {
    auto it = state.clusters.find(d.identity);
    if (it != state.clusters.end()) {
      plan.actions.push_back(decide_existing(d, it->second, live, options));
      continue;
    }
    auto& orphans = orphans_by_file[d.spec_file];
    if (orphans.size() == 1 && new_per_file[d.spec_file] == 1 &&
        orphans.front()->phase != Phase::kPendingCreate) {
      // The same spec file now names another identity: a rename or a move.
      const ClusterRecord* old = orphans.front();
      paired.insert(old);
      PlannedAction a =
          action_for(options.allow_replace ? ActionKind::kReplace : ActionKind::kRefusedReplace, d);
      a.replaces = old->identity;
      a.replaced_cluster_id = old->cluster_id;
      a.diff = diff_bodies(old->applied_body, d.redacted_body);
      if (options.allow_replace) {
        a.note = "identity changed from " + state::describe(old->identity) + ": delete " + old->cluster_id +
                 ", then create";
      } else {
        a.note = "identity changed from " + state::describe(old->identity) +
                 "; regionId, workspaceId and name cannot be updated in place";
        a.hint = hint_of(HintKind::kAllowReplace);
        a.hint.cluster_id = old->cluster_id;
      }
      plan.actions.push_back(std::move(a));
      continue;
    }
    plan.actions.push_back(decide_by_name(d, live, options));
  }
  for (const auto& [file, records] : orphans_by_file)
    for (const ClusterRecord* r : records) {
      if (paired.count(r)) continue;
      PlannedAction a = orphan_action(*r, options.prune ? ActionKind::kDelete : ActionKind::kNotInSpecs);
      a.note = options.prune ? "its spec is gone" : "its spec is gone; kept";
      a.hint = hint_of(options.prune ? HintKind::kPruned : HintKind::kPruneToDelete);
      plan.actions.push_back(std::move(a));
    }
  for (auto& a : plan.actions)
    if (!sends_body(a.kind)) a.desired.reset();
  return plan;
}

Plan make_destroy_plan(const std::vector<DesiredCluster>& desired, const state::State& state,
                       const std::vector<std::string>& scope) {
  Plan plan;
  std::set<ClusterIdentity> wanted;
  for (const auto& d : desired) wanted.insert(d.identity);
  for (const auto& [id, r] : state.clusters) {
    if (!wanted.count(id) && !in_scope(r.spec_file, scope)) continue;
    PlannedAction a = orphan_action(r, ActionKind::kDelete);
    if (r.phase == Phase::kPendingCreate) a.note = "a create may have happened: look it up by name first";
    plan.actions.push_back(std::move(a));
  }
  for (const auto& d : desired) {
    if (state.clusters.count(d.identity)) continue;
    PlannedAction a = action_for(ActionKind::kNoChange, d);
    a.desired.reset();
    a.note = "not in the state: nothing to destroy";
    plan.actions.push_back(std::move(a));
  }
  return plan;
}

}  // namespace provision::engine
