// `provision show FILE`: a saved plan rendered as `plan` renders it (text, the plan
// document with --output json, or Markdown), with what it was made from.
#include <boost/json.hpp>
#include <ostream>

#include "cli/command.hpp"
#include "cli/plan_file.hpp"
#include "cli/plan_json.hpp"
#include "cli/plan_markdown.hpp"
#include "cli/plan_printer.hpp"
#include "core/error.hpp"

namespace provision::cli {
namespace {

void print_provenance(const PlanProvenance& p, std::ostream& out) {
  out << "Saved plan made by provision " << p.provision_version << " against the "
      << state::describe(p.store);
  if (p.serial == 0)
    out << " (never saved yet)\nfrom";
  else
    out << " (lineage " << p.lineage << ", serial " << p.serial << ")\nfrom";
  for (const auto& path : p.paths) out << " " << path;
  out << " (" << p.spec_files.size() << (p.spec_files.size() == 1 ? " spec file" : " spec files") << ")\n\n";
}

int show(const ShowOptions& o, Context& ctx) {
  if (o.files.size() != 1)
    throw Error(ErrorKind::kUsage, "show takes one plan FILE (made by 'provision plan --out FILE')");
  const std::string& file = o.files.front();
  const boost::json::value document = read_plan_json(file);
  const SavedPlan saved = read_plan_document(document);  // refuses an unknown format
  if (ctx.format == OutputFormat::kJson) {
    ctx.out << boost::json::serialize(document) << "\n";
  } else if (ctx.format == OutputFormat::kMarkdown) {
    ctx.out << plan_markdown(saved.plan, file);
  } else {
    print_provenance(saved.provenance, ctx.out);
    print_plan(saved.plan, ctx);
  }
  return 0;
}

}  // namespace

Command make_show_command() {
  return {"show",
          "render a plan saved by 'plan --out' (text, --output json or markdown)",
          "provision show [options] FILE",
          "Reads a plan file and prints it as 'provision plan' would: text, the plan document\n"
          "with --output json (the same structure as 'plan --output json', doc/plan-format.md), or\n"
          "a pull-request comment with --output markdown. Nothing is read from the state or the\n"
          "cloud. A plan of an unknown format_version is refused.",
          {}};
}

int run(const ShowOptions& options, Context& context) { return show(options, context); }

}  // namespace provision::cli
