// Shared by validate, plan, apply and destroy so every command reports spec errors alike.
#include "cli/spec_inputs.hpp"

#include <set>

#include "cli/diagnostic_printer.hpp"
#include "core/error.hpp"
#include "spec/spec_loader.hpp"

namespace provision::cli {

std::vector<spec::ClusterSpec> load_cluster_specs(const std::vector<std::string>& paths, Context& context) {
  if (paths.empty())
    throw Error(ErrorKind::kUsage, "no spec PATH given (files, directories, or - for stdin)");
  spec::LoadOptions options;
  options.stdin_stream = &context.in;
  spec::SpecSet set = spec::load_specs(paths, options);
  print_diagnostics(set.diagnostics, context.format == OutputFormat::kJson, context.color, context.err,
                    context.out);
  if (has_errors(set.diagnostics)) {
    std::set<std::string> files;
    std::size_t errors = 0;
    for (const auto& d : set.diagnostics)
      if (d.severity == Severity::kError) {
        ++errors;
        files.insert(d.location.file);
      }
    throw Error(ErrorKind::kInvalidSpec, std::to_string(errors) + (errors == 1 ? " error" : " errors") +
                                             " in " + std::to_string(files.size()) +
                                             (files.size() == 1 ? " file" : " files"));
  }
  return std::move(set.clusters);
}

}  // namespace provision::cli
