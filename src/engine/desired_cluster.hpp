// Specs -> DesiredCluster: the exact body bytes, their hash and a redacted copy.
#pragma once

#include <vector>

#include "engine/plan.hpp"
#include "spec/cluster_spec.hpp"

namespace provision::engine {

DesiredCluster desired_from_spec(const spec::ClusterSpec& cluster);
std::vector<DesiredCluster> desired_from_specs(const std::vector<spec::ClusterSpec>& clusters);

}  // namespace provision::engine
