// The checks of apply --plan (rules in plan_staleness.cpp) and the rebuilt plan.
#include "cli/saved_plan_apply.hpp"

#include <ostream>

#include "cli/plan_file.hpp"
#include "cli/plan_json.hpp"
#include "cli/plan_staleness.hpp"
#include "cli/run_support.hpp"
#include "core/error.hpp"

namespace provision::cli {
namespace {

// The first planning option given, which the plan fixed already; nullptr for none.
const char* option_fixed_by_plan(const ApplyOptions& o) {
  const std::pair<bool, const char*> given[] = {{o.planning.plan.prune, "--prune"},
                                                {o.planning.plan.allow_replace, "--allow-replace"},
                                                {o.planning.plan.adopt, "--adopt"},
                                                {o.planning.refresh, "--refresh"},
                                                {o.dry_run, "--dry-run"}};
  for (const auto& [set, name] : given)
    if (set) return name;
  return nullptr;
}

}  // namespace

SavedPlanInputs read_saved_plan_inputs(const ApplyOptions& options, Context& ctx) {
  SavedPlanInputs in;
  in.file = options.plan_file.value_or("");
  if (in.file.empty())
    throw Error(ErrorKind::kUsage, "--plan needs a plan file (made by 'provision plan --out')");
  if (!options.paths.empty())
    throw Error(ErrorKind::kUsage, "apply --plan takes no PATH: the plan names its specs (nothing was sent)");
  if (const char* option = option_fixed_by_plan(options))
    throw Error(ErrorKind::kUsage, std::string("apply --plan does not take ") + option +
                                       ": the plan was made with its own options (nothing was sent)");
  in.saved = read_plan_document(read_plan_json(in.file));
  in.desired = load_desired(in.saved.provenance.paths, ctx);
  in.spec_files = hash_spec_files(in.saved.provenance.paths);
  return in;
}

std::optional<engine::Plan> saved_plan_to_run(const SavedPlanInputs& in, const state::StoreIdentity& store,
                                              const state::State& current, Context& ctx) {
  CurrentInputs now;
  now.provision_version = PROVISION_VERSION;
  now.schema_sha256 = schema_sha256();
  now.store = store;
  now.lineage = current.lineage;
  now.serial = current.serial;
  now.spec_files = in.spec_files;
  for (const auto& d : in.desired) now.body_sha256[d.identity] = d.body_sha256;
  const StalenessReport report = check_saved_plan(in.saved, now);
  if (!report.refusals.empty()) {
    ctx.err << "provision: error: the saved plan " << in.file << " was not applied; nothing was sent:\n";
    for (const auto& r : report.refusals) ctx.err << "  - " << r << "\n";
    return std::nullopt;
  }
  for (const auto& n : report.notes) ctx.err << "provision: note: " << n << "\n";
  engine::Plan plan = in.saved.plan;
  for (auto& a : plan.actions) {
    a.desired.reset();  // the file's copy is redacted: never send it
    if (!engine::sends_body(a.kind)) continue;
    for (const auto& d : in.desired)
      if (d.identity == a.identity) a.desired = d;
    if (!a.desired)
      throw Error(ErrorKind::kInternal, "saved plan: no body for " + state::describe(a.identity));
  }
  return plan;
}

}  // namespace provision::cli
