// Shared by validate, plan, apply and destroy so every command reports spec errors alike.
#include "cli/spec_inputs.hpp"

#include <cstdlib>
#include <set>

#include "cli/diagnostic_printer.hpp"
#include "cli/state_options.hpp"
#include "core/error.hpp"
#include "engine/desired_cluster.hpp"
#include "spec/spec_loader.hpp"
#include "state/connection_uri.hpp"

namespace provision::cli {
namespace {

void require_paths(const std::vector<std::string>& paths) {
  if (paths.empty())
    throw Error(ErrorKind::kUsage, "no spec PATH given (files, directories, or - for stdin)");
}

}  // namespace

std::vector<spec::ClusterSpec> load_cluster_specs(const std::vector<std::string>& paths, Context& context,
                                                  SourceMaps maps) {
  require_paths(paths);
  spec::LoadOptions options;
  options.stdin_stream = &context.in;
  options.keep_source_maps = maps == SourceMaps::kKeep;
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

std::string spec_cache_path(const StateOptions& state) {
  const StateChoice choice = choose_state(state, [](const char* name) {
    const char* value = std::getenv(name);
    return std::string(value ? value : "");
  });
  if (state::is_postgres_uri(choice.location)) return ".provision/spec-cache";
  return choice.location + ".spec-cache";
}

void DesiredSpecs::load(const std::vector<std::string>& paths, const StateOptions& state, Context& context) {
  require_paths(paths);
  cached_ = engine::load_desired_cached(paths, spec::LoadOptions{},
                                        {spec_cache_path(state), engine::current_spec_cache_key()});
  // The cache could not answer (stdin, a finding, ...): the ordinary load reports it all.
  if (!cached_) desired_ = engine::desired_from_specs(load_cluster_specs(paths, context, SourceMaps::kDrop));
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
