// The sequence apply and destroy share, through Runner's public interface only.
#include "engine/apply.hpp"

namespace provision::engine {
namespace {

class SilentSink final : public EventSink {
 public:
  void on_event(const ClusterEvent&) override {}
};

}  // namespace

LiveClusters list_workspaces(ApiAccess& api, const std::vector<WorkspaceKey>& keys) {
  if (keys.empty()) return {};
  SilentSink sink;
  Runner runner(api.io(), api.clients(), sink);
  return runner.list_workspaces(keys);
}

Plan plan_against_live(const std::vector<DesiredCluster>& desired, const state::State& current,
                       const std::vector<std::string>& paths, bool refresh, const PlanOptions& options,
                       ApiAccess& api, const Replan& replan) {
  const LiveClusters live = list_workspaces(api, workspaces_to_list(desired, current, paths, refresh));
  Plan plan = make_plan(desired, current, paths, live, options);
  if (replan && replan(plan, live)) plan = make_plan(desired, current, paths, live, options);
  return plan;
}

PlanResult plan_unlocked(state::StateStore& store, const std::vector<DesiredCluster>& desired,
                         const std::vector<std::string>& paths, bool refresh, const PlanOptions& options,
                         ApiAccess& api, Random& random, const Replan& replan) {
  const state::State first = store.load(random);
  const LiveClusters live = list_workspaces(api, workspaces_to_list(desired, first, paths, refresh));
  PlanResult result{{}, store.load(random)};
  result.plan = make_plan(desired, result.state, paths, live, options);
  if (replan && replan(result.plan, live))
    result.plan = make_plan(desired, result.state, paths, live, options);
  return result;
}

RunResult run_changes(const RunContext& context, const LockRequest& lock, const PlanStep& plan_step,
                      const ApproveStep& approve, const RunOptions& options) {
  auto held = context.store.lock(lock.owner, context.clock, lock.timeout);
  state::State current = context.store.load(context.random);
  RunResult result;
  result.plan = plan_step(current);
  if (!result.plan || !result.plan->has_changes()) return result;
  if (!approve(*result.plan)) {
    result.cancelled = true;
    return result;
  }
  StateWriter writer(context.store, current, context.clock);
  Runner runner(context.api.io(), context.api.clients(), context.events);
  result.summary = runner.run(*result.plan, writer, options);
  result.ran = true;
  return result;
}

}  // namespace provision::engine
