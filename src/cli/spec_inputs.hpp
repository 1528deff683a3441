// Loading the PATH arguments of a command: print every diagnostic, or hand back clusters.
#pragma once

#include <string>
#include <vector>

#include "cli/context.hpp"
#include "spec/cluster_spec.hpp"

namespace provision::cli {

// Loads the PATHs (usage error when there are none). On any spec error,
// prints all diagnostics and throws Error(kInvalidSpec); otherwise returns the clusters.
std::vector<spec::ClusterSpec> load_cluster_specs(const std::vector<std::string>& paths, Context& context);

}  // namespace provision::cli
