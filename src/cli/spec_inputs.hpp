// Loading the PATH arguments of a command: print every diagnostic, or hand back clusters.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/command_options.hpp"
#include "cli/context.hpp"
#include "engine/cached_desired.hpp"
#include "engine/plan.hpp"
#include "spec/cluster_spec.hpp"

namespace provision::cli {

// Whether the loaded clusters keep their source maps (ClusterSpec::source): only findings
// made after loading (render) need them, and they are most of a loaded spec's memory.
enum class SourceMaps { kKeep, kDrop };

// Loads the PATHs (usage error when there are none). On any spec error,
// prints all diagnostics and throws Error(kInvalidSpec); otherwise returns the clusters.
std::vector<spec::ClusterSpec> load_cluster_specs(const std::vector<std::string>& paths, Context& context,
                                                  SourceMaps maps = SourceMaps::kKeep);

// The no-op cache file: beside a local state file (<state>.spec-cache), or
// .provision/spec-cache for a PostgreSQL state. It never holds a body (engine/spec_cache.hpp).
std::string spec_cache_path(const StateOptions& state);

// The desired clusters of plan and apply: unchanged spec files come from the no-op cache
// without being parsed, and are parsed only when the plan needs their bodies.
class DesiredSpecs {
 public:
  // Nothing loaded (apply --plan loads its own).
  DesiredSpecs() = default;
  // As load_cluster_specs, then desired_from_specs, but through the cache.
  void load(const std::vector<std::string>& paths, const StateOptions& state, Context& context);
  std::vector<engine::DesiredCluster>& desired() { return cached_ ? cached_->desired : desired_; }
  // Saves the cache (the run got as far as a plan). True when `plan` used a cached
  // cluster for more than its body hash; those files have been parsed since, and the
  // plan must be made again from desired().
  bool derive_if_needed(const engine::Plan& plan, const engine::LiveClusters& live);

 private:
  std::optional<engine::CachedDesired> cached_;
  std::vector<engine::DesiredCluster> desired_;
};

}  // namespace provision::cli
