// `provision plan PATH...`: what apply would do, per cluster, without changing anything.
#include <ostream>

#include "cli/command.hpp"
#include "cli/hint_text.hpp"
#include "cli/plan_output.hpp"
#include "cli/run_support.hpp"
#include "cli/spec_inputs.hpp"
#include "cli/state_options.hpp"
#include "core/error.hpp"
#include "engine/apply.hpp"

namespace provision::cli {
namespace {

int plan(const PlanCommandOptions& o, Context& ctx) {
  SystemClock clock;
  OsRandom random;
  check_plan_out(o);
  DesiredSpecs specs;
  specs.load(o.paths, o.state, ctx);
  auto& desired = specs.desired();
  auto store = open_store(o.state, ctx);
  LazySession session(o.api, clock, random);
  const engine::PlanResult r =
      engine::plan_unlocked(*store, desired, o.paths, o.planning.refresh, o.planning.plan, session, random,
                            [&](const engine::Plan& p, const engine::LiveClusters& live) {
                              return specs.derive_if_needed(p, live);
                            });
  emit_plan(o, r.plan, desired, store->identity(), r.state, ctx);
  if (r.plan.has_blocked()) return to_int(ExitCode::kError);
  return o.detailed_exitcode && r.plan.has_changes() ? to_int(ExitCode::kChanges) : 0;
}

}  // namespace

Command make_plan_command() {
  return {"plan", "show what apply would do: + create, ~ update (field diff), - delete, = no change",
          "provision plan [options] PATH...",
          "Reads the specs and the state and prints one line per cluster. Workspaces are listed\n"
          "(ListRayCluster, all pages, once each) only where a cluster may be created, or with\n"
          "--refresh to find clusters deleted or changed outside provision. Nothing is changed\n"
          "and the state is not locked. A blocked cluster (a name that already exists but is\n"
          "not managed, several clusters with one name, a refused identity change) exits 1.\n\n"
          "--out FILE saves the plan (atomically) for review and for 'provision apply --plan FILE',\n"
          "which applies exactly it or refuses if anything changed. --output json prints the plan\n"
          "document (doc/plan-format.md); --output markdown a pull-request comment.",
          state_and_api_options({
              {"--refresh", "", "compare with the live clusters too (drift), one listing per workspace"},
              {"--detailed-exitcode", "", "exit 0 for no changes, 2 for changes, 1 for any error"},
              {"--prune", "", "plan to delete managed clusters whose spec is gone"},
              {"--allow-replace", "", "plan identity changes as delete + create"},
              {"--adopt", "", "plan to adopt existing clusters that have a spec's name"},
              {"--out", "FILE", "save the plan for 'provision apply --plan FILE' (no secrets in it)"},
          })};
}

int run(const PlanCommandOptions& options, Context& ctx) {
  if (!options.detailed_exitcode) return plan(options, ctx);
  // Terraform's convention: with --detailed-exitcode every error is exit 1.
  try {
    return plan(options, ctx);
  } catch (const Error& e) {
    ctx.err << "provision: error: " << error_text(e) << "\n";
    return to_int(ExitCode::kError);
  }
}

}  // namespace provision::cli
