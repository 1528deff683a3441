// Plan output in every format, and the plan file (doc/plan-format.md).
#include "cli/plan_output.hpp"

#include <boost/json.hpp>
#include <ostream>

#include "cli/plan_file.hpp"
#include "cli/plan_json.hpp"
#include "cli/plan_markdown.hpp"
#include "cli/plan_printer.hpp"
#include "core/error.hpp"

namespace provision::cli {

void check_plan_out(const PlanCommandOptions& options) {
  if (!options.out) return;
  if (options.out->empty()) throw Error(ErrorKind::kUsage, "--out needs a file name");
  for (const auto& p : options.paths)
    if (p == "-")
      throw Error(ErrorKind::kUsage,
                  "plan --out cannot save a plan of standard input: apply --plan reads the specs again");
}

void emit_plan(const PlanCommandOptions& options, const engine::Plan& plan,
               const std::vector<engine::DesiredCluster>& desired, const state::StoreIdentity& store,
               const state::State& state, Context& ctx) {
  const bool save = options.out.has_value();
  boost::json::object document;
  if (save || ctx.format == OutputFormat::kJson)
    document = plan_document(plan, desired, provenance_now(options.paths, options.planning, store, state));
  if (ctx.format == OutputFormat::kJson)
    ctx.out << boost::json::serialize(document) << "\n";
  else if (ctx.format == OutputFormat::kMarkdown)
    ctx.out << plan_markdown(plan, "");
  else
    print_plan(plan, ctx);
  if (!save) return;
  const std::string& file = *options.out;
  if (plan.has_blocked()) {
    ctx.err << "provision: no plan file written to " << file << ": the plan has blocked clusters\n";
    return;
  }
  write_plan_file(file, document);
  if (ctx.format == OutputFormat::kText)
    ctx.out << "\nSaved the plan to " << file << ". To apply exactly this plan, run:\n"
            << "  provision apply --plan " << file << "\n";
}

}  // namespace provision::cli
