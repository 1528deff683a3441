// `provision validate PATH...`: every problem in the specs at once, nothing sent.
#include <ostream>

#include "cli/command.hpp"
#include "cli/spec_inputs.hpp"

namespace provision::cli {

Command make_validate_command() {
  return {"validate",
          "check cluster specs (schema, cross-field rules, ${VAR}s) without contacting the API",
          "provision validate [options] PATH...",
          "PATH is a spec file, a directory (searched recursively for *.yaml and *.yml, in\n"
          "sorted order) or - for standard input. Every error is reported at once as\n"
          "file:line:column with the source line; --output json prints one JSON object per\n"
          "diagnostic. Exits 0 when every spec is valid, 4 otherwise.",
          {}};
}

int run(const ValidateOptions& options, Context& context) {
  auto clusters = load_cluster_specs(options.paths, context, SourceMaps::kDrop);
  if (context.format == OutputFormat::kText)
    context.out << clusters.size() << (clusters.size() == 1 ? " cluster spec" : " cluster specs")
                << " valid\n";
  return 0;
}

}  // namespace provision::cli
