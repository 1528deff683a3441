// `provision destroy PATH...`: stop, delete and forget the managed clusters of the specs.
#include <ostream>

#include "cli/command.hpp"
#include "cli/plan_printer.hpp"
#include "cli/progress_printer.hpp"
#include "cli/run_support.hpp"
#include "cli/state_options.hpp"
#include "core/error.hpp"
#include "engine/state_writer.hpp"

namespace provision::cli {
namespace {

int destroy(const ParsedArgs& args, Context& ctx) {
  engine::RunOptions options;
  options.parallelism = static_cast<std::size_t>(args.get_int("--parallelism", 10, 1, 1000));
  options.timeout =
      std::chrono::milliseconds(static_cast<long long>(args.get_seconds("--timeout", 1800) * 1000));
  auto desired = load_desired(args, ctx);
  require_approval_possible(args, ctx, "destroy");
  SystemClock clock;
  OsRandom random;
  auto store = open_store(args, ctx);
  auto lock = lock_store(*store, args, "provision destroy", clock);
  state::State current = store->load(random);
  const engine::Plan plan = engine::make_destroy_plan(desired, current, args.positionals());
  print_plan(plan, ctx);
  if (!plan.has_changes()) {
    if (ctx.format == OutputFormat::kText) ctx.out << "Nothing to destroy.\n";
    return 0;
  }
  if (!approved(args, ctx, "Do you really want to destroy these clusters? They cannot be recovered.")) {
    ctx.out << "Destroy cancelled; nothing was changed.\n";
    return to_int(ExitCode::kError);
  }
  LazySession session(args, clock, random);
  ProgressPrinter progress(ctx);
  engine::StateWriter writer(*store, current, clock);
  engine::Runner runner(session.get().io(), session.clients(), progress);
  const engine::RunSummary summary = runner.run(plan, writer, options);
  print_summary(summary, "Destroy", ctx);
  return summary.failed() ? to_int(exit_code_for(summary.failure_kind())) : 0;
}

}  // namespace

Command make_destroy_command() {
  auto options = state_options();
  for (auto& o : api_session_options()) options.push_back(o);
  options.push_back({"--auto-approve", "", "do not ask for confirmation (required when not on a terminal)"});
  options.push_back(
      {"--timeout", "DURATION", "how long to wait for each cluster to stop and go (default 30m)"});
  options.push_back({"--parallelism", "N", "clusters worked on at once (default 10)"});
  return {"destroy",
          "stop and delete the managed clusters of the specs, and drop them from the state",
          "provision destroy [options] PATH...",
          "For each managed cluster of the specs in PATH (and each state record whose spec file\n"
          "lies under PATH): StopRayCluster, wait for Stopped, DeleteRayCluster, confirm it is\n"
          "gone, then remove it from the state. Clusters the state does not know are never\n"
          "touched. Same confirmation rule as apply.",
          options,
          [](const ParsedArgs& args, Context& ctx) { return destroy(args, ctx); }};
}

}  // namespace provision::cli
