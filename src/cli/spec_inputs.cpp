// Shared by validate, plan, apply and destroy so every command reports spec errors alike.
#include "cli/spec_inputs.hpp"

#include <cstdlib>
#include <set>

#include "cli/diagnostic_printer.hpp"
#include "core/error.hpp"
#include "engine/desired_cluster.hpp"
#include "spec/spec_loader.hpp"
#include "state/connection_uri.hpp"
#include "state/local_store.hpp"

namespace provision::cli {
namespace {

void require_paths(const ParsedArgs& args) {
  if (args.positionals().empty())
    throw Error(ErrorKind::kUsage, "no spec PATH given (files, directories, or - for stdin)");
}

}  // namespace

std::vector<spec::ClusterSpec> load_cluster_specs(const ParsedArgs& args, Context& context, SourceMaps maps) {
  require_paths(args);
  spec::LoadOptions options;
  options.stdin_stream = &context.in;
  options.keep_source_maps = maps == SourceMaps::kKeep;
  spec::SpecSet set = spec::load_specs(args.positionals(), options);
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

std::string spec_cache_path(const ParsedArgs& args) {
  const char* env = std::getenv("PROVISION_STATE");
  std::string location = args.get("--state", env ? env : "");
  if (location.empty()) location = state::kDefaultStatePath;
  if (state::is_postgres_uri(location)) return ".provision/spec-cache";
  return location + ".spec-cache";
}

void DesiredSpecs::load(const ParsedArgs& args, Context& context) {
  require_paths(args);
  cached_ = engine::load_desired_cached(args.positionals(), spec::LoadOptions{},
                                        {spec_cache_path(args), engine::current_spec_cache_key()});
  // The cache could not answer (stdin, a finding, ...): the ordinary load reports it all.
  if (!cached_) desired_ = engine::desired_from_specs(load_cluster_specs(args, context, SourceMaps::kDrop));
}

bool DesiredSpecs::derive_if_needed(const engine::Plan& plan, const engine::LiveClusters& live) {
  if (!cached_) return false;
  engine::save_spec_cache(*cached_);  // the state was usable: the run got as far as a plan
  const std::set<std::size_t> inputs = engine::inputs_needing_bodies(*cached_, plan, live);
  if (inputs.empty()) return false;
  engine::derive_cached(*cached_, inputs, spec::LoadOptions{});
  return true;
}

}  // namespace provision::cli
