// `provision apply PATH...`: make the clusters in the specs exist exactly once
// (--dry-run: only print the requests).
#include <optional>
#include <ostream>

#include "cli/command.hpp"
#include "cli/dry_run.hpp"
#include "cli/hint_text.hpp"
#include "cli/plan_printer.hpp"
#include "cli/progress_printer.hpp"
#include "cli/run_support.hpp"
#include "cli/saved_plan_apply.hpp"
#include "cli/spec_inputs.hpp"
#include "cli/state_options.hpp"
#include "core/error.hpp"
#include "engine/apply.hpp"

namespace provision::cli {
namespace {

// Blocked clusters are refused, and reported like failures.
void add_blocked(const engine::Plan& plan, engine::RunSummary& summary) {
  for (const auto& a : plan.actions) {
    if (a.kind != engine::ActionKind::kUnmanaged && a.kind != engine::ActionKind::kConflict &&
        a.kind != engine::ActionKind::kRefusedReplace)
      continue;
    engine::ClusterResult r;
    r.identity = a.identity;
    r.action = a.kind;
    r.ok = false;
    r.cluster_id = a.cluster_id;
    r.message = "refused: " + a.note;
    r.hint = a.hint;
    summary.results.push_back(r);
  }
}

int apply(const ApplyOptions& o, Context& ctx) {
  // A saved plan was reviewed already: it is applied without a question, as Terraform does.
  const bool saved = o.plan_file.has_value();
  std::optional<SavedPlanInputs> saved_inputs;
  DesiredSpecs specs;
  if (saved)
    saved_inputs = read_saved_plan_inputs(o, ctx);
  else
    specs.load(o.paths, o.state, ctx);
  auto& desired = specs.desired();
  if (!saved) require_approval_possible(o.auto_approve, ctx, "apply");
  ChangeSession run(o, ctx);
  const engine::PlanStep plan_step = [&](const state::State& current) -> std::optional<engine::Plan> {
    std::optional<engine::Plan> plan =
        saved ? saved_plan_to_run(*saved_inputs, run.store->identity(), current, ctx)
              : engine::plan_against_live(desired, current, o.paths, o.planning.refresh, o.planning.plan,
                                          run.session,
                                          [&](const engine::Plan& p, const engine::LiveClusters& live) {
                                            return specs.derive_if_needed(p, live);
                                          });
    if (plan) print_plan(*plan, ctx);
    return plan;
  };
  const engine::ApproveStep approve = [&](const engine::Plan& plan) {
    return saved ||
           approved(o.auto_approve, ctx, "Do you want to perform these actions (" + plan_counts(plan) + ")?");
  };
  const engine::RunResult result = engine::run_changes(
      run.context(), {saved ? "provision apply --plan" : "provision apply", o.state.lock_timeout}, plan_step,
      approve, o.run);
  if (!result.plan) return to_int(ExitCode::kError);
  if (result.cancelled) {
    ctx.out << "Apply cancelled; nothing was changed.\n";
    return to_int(ExitCode::kError);
  }
  const engine::Plan& plan = *result.plan;
  if (!plan.has_changes() && ctx.format == OutputFormat::kText && !plan.has_blocked()) {
    ctx.out << "No changes: the clusters match the specs.\n";
    return 0;
  }
  engine::RunSummary summary = result.summary;
  add_blocked(plan, summary);
  print_summary(summary, "Apply", ctx);
  return summary.failed() ? to_int(exit_code_for(summary.failure_kind())) : 0;
}

int dry_run(const ApplyOptions& o, Context& context) {
  auto clusters = load_cluster_specs(o.paths, context);
  SystemClock clock;
  OsRandom random;
  print_dry_run(clusters, dry_run_target(o.api, clock, random), context.format == OutputFormat::kJson,
                context.out);
  return 0;
}

}  // namespace

Command make_apply_command() {
  return {
      "apply", "create or update the clusters described by the specs (--dry-run: show the requests only)",
      "provision apply [options] PATH...\n       provision apply [options] --plan FILE",
      "PATH is a spec file, a directory (searched recursively for *.yaml and *.yml) or -\n"
      "for standard input. apply takes the state lock, prints the plan, asks for\n"
      "confirmation (on a terminal; elsewhere --auto-approve is required), then creates and\n"
      "updates clusters concurrently and waits until each is Running. The state is saved\n"
      "after every change; a create is recorded as pending before it is sent, and an\n"
      "unknown outcome is resolved by name, so a spec never yields two clusters. A rerun\n"
      "with unchanged specs sends no request.\n\n"
      "With --dry-run nothing is sent and no credentials are needed: each cluster's method,\n"
      "full URL, headers and exact body are printed (secrets as \"***\"); when credentials\n"
      "are configured the headers are signed, with key id and signature masked; with --output\n"
      "json, one object per line: {\"action\":…,\"method\":…,\"url\":…,\"headers\":{…},\"body\":{…}}.\n\n"
      "With --plan FILE (from 'provision plan --out FILE') the specs at the plan's PATHs are read\n"
      "again and exactly the plan's actions are run, without a question. Nothing is sent, and\n"
      "the exit code is 1, when any body differs from the plan's, a spec file was added or\n"
      "removed, the state is another one or changed since the plan (stale plan), or the plan\n"
      "was made by another provision version. Credentials come from the environment as usual.",
      state_and_api_options({
          {"--dry-run", "", "print the API requests instead of sending them"},
          {"--auto-approve", "", "do not ask for confirmation (required when not on a terminal)"},
          {"--no-wait", "", "do not wait for clusters to be Running"},
          {"--timeout", "DURATION", "how long to wait for each cluster (default 30m)"},
          {"--parallelism", "N", "clusters worked on at once (default 10)"},
          {"--refresh", "", "list every workspace first and repair drift (deleted or changed clusters)"},
          {"--prune", "", "delete managed clusters whose spec is gone"},
          {"--allow-replace", "",
           "allow identity changes (regionId, workspaceId, name): delete, then create"},
          {"--adopt", "", "adopt existing clusters that have a spec's name instead of refusing"},
          {"--plan", "FILE", "apply exactly a plan saved by 'plan --out' (no question), or refuse if stale"},
      })};
}

int run(const ApplyOptions& options, Context& context) {
  return options.dry_run && !options.plan_file ? dry_run(options, context) : apply(options, context);
}

}  // namespace provision::cli
