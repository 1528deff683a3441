// Loading the PATH arguments of a command: print every diagnostic, or hand back clusters.
#pragma once

#include <vector>

#include "cli/args.hpp"
#include "cli/context.hpp"
#include "spec/cluster_spec.hpp"

namespace provision::cli {

// Loads the positional PATHs (usage error when there are none). On any spec error,
// prints all diagnostics and throws Error(kInvalidSpec); otherwise returns the clusters.
std::vector<spec::ClusterSpec> load_cluster_specs(const ParsedArgs& args, Context& context);

}  // namespace provision::cli
