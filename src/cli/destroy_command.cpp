// `provision destroy PATH...`: stop, delete and forget the managed clusters of the specs.
#include <optional>
#include <ostream>

#include "cli/command.hpp"
#include "cli/plan_printer.hpp"
#include "cli/progress_printer.hpp"
#include "cli/run_support.hpp"
#include "cli/state_options.hpp"
#include "core/error.hpp"
#include "engine/apply.hpp"

namespace provision::cli {
namespace {

int destroy(const DestroyOptions& o, Context& ctx) {
  auto desired = load_desired(o.paths, ctx);
  require_approval_possible(o.auto_approve, ctx, "destroy");
  ChangeSession run(o, ctx);
  const engine::PlanStep plan_step = [&](const state::State& current) -> std::optional<engine::Plan> {
    engine::Plan plan = engine::make_destroy_plan(desired, current, o.paths);
    print_plan(plan, ctx);
    return plan;
  };
  const engine::ApproveStep approve = [&](const engine::Plan&) {
    return approved(o.auto_approve, ctx,
                    "Do you really want to destroy these clusters? They cannot be recovered.");
  };
  const engine::RunResult result = engine::run_changes(
      run.context(), {"provision destroy", o.state.lock_timeout}, plan_step, approve, o.run);
  if (result.cancelled) {
    ctx.out << "Destroy cancelled; nothing was changed.\n";
    return to_int(ExitCode::kError);
  }
  if (!result.ran) {
    if (ctx.format == OutputFormat::kText) ctx.out << "Nothing to destroy.\n";
    return 0;
  }
  print_summary(result.summary, "Destroy", ctx);
  return result.summary.failed() ? to_int(exit_code_for(result.summary.failure_kind())) : 0;
}

}  // namespace

Command make_destroy_command() {
  return {"destroy", "stop and delete the managed clusters of the specs, and drop them from the state",
          "provision destroy [options] PATH...",
          "For each managed cluster of the specs in PATH (and each state record whose spec file\n"
          "lies under PATH): StopRayCluster, wait for Stopped, DeleteRayCluster, confirm it is\n"
          "gone, then remove it from the state. Clusters the state does not know are never\n"
          "touched. Same confirmation rule as apply.",
          state_and_api_options({
              {"--auto-approve", "", "do not ask for confirmation (required when not on a terminal)"},
              {"--timeout", "DURATION", "how long to wait for each cluster to stop and go (default 30m)"},
              {"--parallelism", "N", "clusters worked on at once (default 10)"},
          })};
}

int run(const DestroyOptions& options, Context& context) { return destroy(options, context); }

}  // namespace provision::cli
