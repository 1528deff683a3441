// The plan: desired specs + state (+ live clusters) -> one action per cluster.
// Pure: no I/O, so every decision is tested with data (tests/unit/engine/plan_test.cpp).
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/hint.hpp"
#include "engine/body_diff.hpp"
#include "engine/live_cluster.hpp"
#include "state/cluster_state.hpp"

namespace provision::engine {

// One cluster as the specs want it, with its exact request body.
struct DesiredCluster {
  state::ClusterIdentity identity;
  std::string spec_file;
  std::string body;                   // exact CreateRayCluster / UpdateRayCluster body bytes
  std::string body_sha256;            // hex SHA-256 of `body`
  boost::json::object redacted_body;  // `body` with secret values replaced by "***"
};

enum class ActionKind {
  kCreate,          // + create
  kUpdate,          // ~ update (diff against the last applied body, or the live cluster on drift)
  kDelete,          // - delete (destroy, or --prune for a cluster whose spec is gone)
  kReplace,         // -/+ the identity changed and --allow-replace: delete the old, create the new
  kAdopt,           // take over an existing cluster with the spec's name (then update if needed)
  kNoChange,        // = no change
  kNotInSpecs,      // a managed cluster whose spec is gone; kept without --prune
  kUnmanaged,       // ! a cluster with this name exists but is not in the state: refused
  kConflict,        // ! several clusters have this name: reported, never guessed
  kRefusedReplace,  // ! the identity changed but --allow-replace was not given
};

// "create", "update", "delete", "replace", "adopt", "no-change", "not-in-specs",
// "unmanaged", "conflict", "refused-replace": the names in JSON output.
std::string action_name(ActionKind kind);

// The one place each set of kinds is written out.
// Create, update, delete, replace, adopt: the run sends something.
bool changes_something(ActionKind kind);
// Unmanaged, conflict, refused replace: the cluster is refused and reported.
bool is_blocked(ActionKind kind);
// Create, update, adopt, replace: the run sends the desired body (and waits for Running).
bool sends_body(ActionKind kind);

struct PlannedAction {
  ActionKind kind = ActionKind::kNoChange;
  state::ClusterIdentity identity;
  std::string spec_file;
  std::string cluster_id;                          // the cluster acted on, when known
  std::optional<DesiredCluster> desired;           // create / update / adopt / replace
  std::optional<state::ClusterIdentity> replaces;  // replace: the old identity
  std::string replaced_cluster_id;                 // replace: the old cluster
  bool update_after_adopt = false;       // adopt: the cluster may differ from the spec, send an Update
  bool resolves_pending_create = false;  // the state had pending-create for this cluster
  bool drift = false;                    // changed or deleted outside provision
  std::vector<FieldChange> diff;
  std::vector<std::string> candidates;  // conflict: every cluster id with the name
  std::string note;                     // one line of why, for humans
  Hint hint = {};                       // what the user can do about it, in the CLI's words
};

struct Plan {
  std::vector<PlannedAction> actions;
  // Something would change (create, update, delete, replace, adopt).
  bool has_changes() const;
  // Some cluster is blocked (unmanaged, conflict, refused replace).
  bool has_blocked() const;
};

struct PlanOptions {
  bool prune = false;          // delete managed clusters whose spec is gone
  bool allow_replace = false;  // allow identity changes (delete, then create)
  bool adopt = false;          // adopt existing clusters with the spec's name
};

// True when `spec_file` is one of `paths` or lies under one of them (paths as the
// user typed them; compared lexically). An empty `paths` covers everything.
bool in_scope(const std::string& spec_file, const std::vector<std::string>& paths);

// The workspaces whose listing the plan needs: every workspace with a cluster that
// may be created or whose pending record must be resolved; with `refresh`, every
// workspace in scope. Nothing is listed when nothing could be created.
std::vector<WorkspaceKey> workspaces_to_list(const std::vector<DesiredCluster>& desired,
                                             const state::State& state, const std::vector<std::string>& scope,
                                             bool refresh);

// What apply would do. `live` holds the listed workspaces (see workspaces_to_list).
Plan make_plan(const std::vector<DesiredCluster>& desired, const state::State& state,
               const std::vector<std::string>& scope, const LiveClusters& live, const PlanOptions& options);

// What destroy would do: delete every managed cluster in scope (specs in `desired`
// that are not in the state are reported as kNoChange with a note).
Plan make_destroy_plan(const std::vector<DesiredCluster>& desired, const state::State& state,
                       const std::vector<std::string>& scope);

}  // namespace provision::engine
