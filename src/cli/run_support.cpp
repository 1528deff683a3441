// Shared command steps (see run_support.hpp).
#include "cli/run_support.hpp"

#include <istream>
#include <ostream>

#include "cli/spec_inputs.hpp"
#include "cli/state_options.hpp"
#include "core/error.hpp"
#include "engine/desired_cluster.hpp"

namespace provision::cli {

std::vector<engine::DesiredCluster> load_desired(const std::vector<std::string>& paths, Context& context) {
  return engine::desired_from_specs(load_cluster_specs(paths, context, SourceMaps::kDrop));
}

void require_approval_possible(bool auto_approve, const Context& context, const std::string& command) {
  if (auto_approve) return;
  if (context.format == OutputFormat::kJson)
    throw Error(ErrorKind::kUsage,
                command + " with --output json needs --auto-approve (nothing was changed)");
  if (!context.stdin_is_tty)
    throw Error(ErrorKind::kUsage, command +
                                       " needs --auto-approve when standard input is not a terminal "
                                       "(nothing was changed)");
}

bool approved(bool auto_approve, Context& context, const std::string& question) {
  if (auto_approve) return true;
  context.out << "\n"
              << question << "\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: " << std::flush;
  std::string answer;
  std::getline(context.in, answer);
  return answer == "yes";
}

ApiSession& LazySession::get() {
  if (!session_) session_ = std::make_unique<ApiSession>(options_, clock_, random_);
  return *session_;
}

engine::ClientFor LazySession::clients() {
  ApiSession* s = &get();
  return [s](const std::string& region) -> api::RayClusterClient& { return s->client_for(region); };
}

engine::LiveClusters LazySession::list(const std::vector<engine::WorkspaceKey>& keys) {
  return engine::list_workspaces(*this, keys);
}

ChangeSession::ChangeSession(const LocatedOptions& options, Context& ctx)
    : store(open_store(options.state, ctx)), session(options.api, clock, random), progress(ctx) {}

}  // namespace provision::cli
