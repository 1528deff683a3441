// Steps plan, apply, destroy and status share: specs -> desired clusters, the approval
// rule, and the API session built on first use.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/api_session.hpp"
#include "cli/command_options.hpp"
#include "cli/context.hpp"
#include "cli/progress_printer.hpp"
#include "engine/apply.hpp"
#include "engine/plan.hpp"
#include "state/state_store.hpp"

namespace provision::cli {

// The PATH arguments loaded (diagnostics printed; Error(kInvalidSpec) on errors).
std::vector<engine::DesiredCluster> load_desired(const std::vector<std::string>& paths, Context& context);

// Apply and destroy change things: on a terminal they ask, elsewhere they need
// --auto-approve. Throws Error(kUsage) when approval is impossible (not a terminal,
// or JSON output) and --auto-approve is missing.
void require_approval_possible(bool auto_approve, const Context& context, const std::string& command);

// Asks "Do you want to ...?" unless --auto-approve; true for "yes".
bool approved(bool auto_approve, Context& context, const std::string& question);

// Builds the API session on first use, so commands with nothing to send need no credentials.
class LazySession final : public engine::ApiAccess {
 public:
  LazySession(const ApiOptions& options, const Clock& clock, Random& random)
      : options_(options), clock_(clock), random_(random) {}
  ApiSession& get();
  boost::asio::io_context& io() override { return get().io(); }
  engine::ClientFor clients() override;
  // Lists the workspaces (nothing sent when `keys` is empty).
  engine::LiveClusters list(const std::vector<engine::WorkspaceKey>& keys);

 private:
  const ApiOptions& options_;
  const Clock& clock_;
  Random& random_;
  std::unique_ptr<ApiSession> session_;
};

// What apply and destroy build around their one engine call: the clocks, the store of
// --state, the lazy API session and the progress printer.
struct ChangeSession {
  ChangeSession(const LocatedOptions& options, Context& ctx);
  engine::RunContext context() { return {*store, session, progress, clock, random}; }

  SystemClock clock;
  OsRandom random;
  std::unique_ptr<state::StateStore> store;
  LazySession session;
  ProgressPrinter progress;
};

}  // namespace provision::cli
