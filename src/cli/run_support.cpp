// Shared command steps (see run_support.hpp).
#include "cli/run_support.hpp"

#include <istream>
#include <ostream>

#include "cli/spec_inputs.hpp"
#include "core/error.hpp"
#include "engine/desired_cluster.hpp"
#include "engine/runner.hpp"

namespace provision::cli {

std::vector<engine::DesiredCluster> load_desired(const ParsedArgs& args, Context& context) {
  return engine::desired_from_specs(load_cluster_specs(args, context, SourceMaps::kDrop));
}

void require_approval_possible(const ParsedArgs& args, const Context& context, const std::string& command) {
  if (args.has("--auto-approve")) return;
  if (context.format == OutputFormat::kJson)
    throw Error(ErrorKind::kUsage,
                command + " with --output json needs --auto-approve (nothing was changed)");
  if (!context.stdin_is_tty)
    throw Error(ErrorKind::kUsage, command +
                                       " needs --auto-approve when standard input is not a terminal "
                                       "(nothing was changed)");
}

bool approved(const ParsedArgs& args, Context& context, const std::string& question) {
  if (args.has("--auto-approve")) return true;
  context.out << "\n"
              << question << "\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: " << std::flush;
  std::string answer;
  std::getline(context.in, answer);
  return answer == "yes";
}

ApiSession& LazySession::get() {
  if (!session_) session_ = std::make_unique<ApiSession>(args_, clock_, random_);
  return *session_;
}

engine::ClientFor LazySession::clients() {
  ApiSession* s = &get();
  return [s](const std::string& region) -> api::RayClusterClient& { return s->client_for(region); };
}

engine::LiveClusters LazySession::list(const std::vector<engine::WorkspaceKey>& keys) {
  if (keys.empty()) return {};
  SilentSink sink;
  engine::Runner runner(get().io(), clients(), sink);
  return runner.list_workspaces(keys);
}

engine::LiveClusters list_for_plan(const ParsedArgs& args, const std::vector<engine::DesiredCluster>& desired,
                                   const state::State& current, LazySession& session) {
  return session.list(
      engine::workspaces_to_list(desired, current, args.positionals(), args.has("--refresh")));
}

engine::Plan plan_with_options(const ParsedArgs& args, const std::vector<engine::DesiredCluster>& desired,
                               const state::State& current, const engine::LiveClusters& live) {
  engine::PlanOptions options;
  options.prune = args.has("--prune");
  options.allow_replace = args.has("--allow-replace");
  options.adopt = args.has("--adopt");
  return engine::make_plan(desired, current, args.positionals(), live, options);
}

}  // namespace provision::cli
