// Steps plan, apply, destroy and status share: specs -> desired clusters, the
// approval rule, listing workspaces through a lazily built API session, the plan.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/api_session.hpp"
#include "cli/context.hpp"
#include "engine/events.hpp"
#include "engine/live_cluster.hpp"
#include "engine/plan.hpp"
#include "engine/runner.hpp"

namespace provision::cli {

// The PATH arguments loaded (diagnostics printed; Error(kInvalidSpec) on errors).
std::vector<engine::DesiredCluster> load_desired(const ParsedArgs& args, Context& context);

// Apply and destroy change things: on a terminal they ask, elsewhere they need
// --auto-approve. Throws Error(kUsage) when approval is impossible (not a terminal,
// or JSON output) and --auto-approve is missing.
void require_approval_possible(const ParsedArgs& args, const Context& context, const std::string& command);

// Asks "Do you want to ...?" unless --auto-approve; true for "yes".
bool approved(const ParsedArgs& args, Context& context, const std::string& question);

// An EventSink that ignores everything (for listings before a run).
class SilentSink final : public engine::EventSink {
 public:
  void on_event(const engine::ClusterEvent&) override {}
};

// Builds the API session on first use, so commands with nothing to send need no credentials.
class LazySession {
 public:
  LazySession(const ParsedArgs& args, const Clock& clock, Random& random)
      : args_(args), clock_(clock), random_(random) {}
  ApiSession& get();
  engine::ClientFor clients();
  // Lists the workspaces (nothing sent when `keys` is empty).
  engine::LiveClusters list(const std::vector<engine::WorkspaceKey>& keys);

 private:
  const ParsedArgs& args_;
  const Clock& clock_;
  Random& random_;
  std::unique_ptr<ApiSession> session_;
};

// What plan and apply list before planning: the workspaces where a cluster may be
// created, or every one with --refresh.
engine::LiveClusters list_for_plan(const ParsedArgs& args, const std::vector<engine::DesiredCluster>& desired,
                                   const state::State& current, LazySession& session);

// The plan of specs, state and live clusters under --prune/--allow-replace/--adopt.
engine::Plan plan_with_options(const ParsedArgs& args, const std::vector<engine::DesiredCluster>& desired,
                               const state::State& current, const engine::LiveClusters& live);

}  // namespace provision::cli
