// One engine call per command that changes clusters (apply, apply --plan, destroy): under
// the state lock, load the state, plan, let the caller approve, and run the plan, saving
// the state after every change. The CLI only parses, calls and prints.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "engine/events.hpp"
#include "engine/live_cluster.hpp"
#include "engine/plan.hpp"
#include "engine/runner.hpp"
#include "state/state_store.hpp"

namespace boost::asio {
class io_context;
}

namespace provision::engine {

// What a run needs of the API. The caller may build it on first use, so that a command
// with nothing to send needs no credentials.
class ApiAccess {
 public:
  virtual ~ApiAccess() = default;
  virtual boost::asio::io_context& io() = 0;
  virtual ClientFor clients() = 0;
};

// Lists each workspace once (all pages). Sends nothing, and touches `api` not at all, when
// `keys` is empty. Throws as Runner::list_workspaces.
LiveClusters list_workspaces(ApiAccess& api, const std::vector<WorkspaceKey>& keys);

// Called with a plan and the listing it was made from; true when it changed `desired` (the
// no-op cache parsed files whose bodies the plan needs), so the plan must be made again.
using Replan = std::function<bool(const Plan& plan, const LiveClusters& live)>;

// The plan of `desired` against `current` and the live clusters of the workspaces where a
// cluster may be created (every workspace with `refresh`): what plan and apply compute.
Plan plan_against_live(const std::vector<DesiredCluster>& desired, const state::State& current,
                       const std::vector<std::string>& paths, bool refresh, const PlanOptions& options,
                       ApiAccess& api, const Replan& replan = {});

// plan, which takes no lock: the state, the listing, then the state again, planned
// against the second read. An apply may create clusters while we list; it records each one
// (pending-create) before sending its Create, so the second read knows every cluster the
// listing shows, where the first may not.
struct PlanResult {
  Plan plan;
  state::State state;  // the state the plan was made from
};
PlanResult plan_unlocked(state::StateStore& store, const std::vector<DesiredCluster>& desired,
                         const std::vector<std::string>& paths, bool refresh, const PlanOptions& options,
                         ApiAccess& api, Random& random, const Replan& replan = {});

// Who takes the state lock ("provision apply", shown to a waiting process) and how long
// to wait for it (zero: fail at once).
struct LockRequest {
  std::string owner;
  std::chrono::milliseconds timeout{0};
};

// Under the lock, with the state just loaded: the plan to carry out, or nullopt to stop
// with nothing sent (a refused saved plan).
using PlanStep = std::function<std::optional<Plan>(const state::State& current)>;

// Sees the plan before anything is sent; false cancels the run. Called only when the plan
// has changes.
using ApproveStep = std::function<bool(const Plan& plan)>;

// What happened: no plan (stopped by the plan step), no changes, cancelled, or a run.
struct RunResult {
  std::optional<Plan> plan;
  bool cancelled = false;
  bool ran = false;
  RunSummary summary;  // the run's; empty unless `ran`
};

// The collaborators of a run, all owned by the caller and outliving the call.
struct RunContext {
  state::StateStore& store;
  ApiAccess& api;
  EventSink& events;
  const Clock& clock;
  Random& random;
};

// apply, apply --plan and destroy: lock, load, plan_step, approve (when the plan has
// changes), run. Throws Error(kLocked) when the lock is held, and what the store or the
// plan step throws; a cluster's failure is in the summary, not thrown.
RunResult run_changes(const RunContext& context, const LockRequest& lock, const PlanStep& plan_step,
                      const ApproveStep& approve, const RunOptions& options);

}  // namespace provision::engine
