// Lookups over one workspace's listing.
#include "engine/live_cluster.hpp"

namespace provision::engine {

std::vector<std::string> ids_named(const std::vector<LiveCluster>& clusters, const std::string& name) {
  std::vector<std::string> ids;
  for (const auto& c : clusters)
    if (c.name == name) ids.push_back(c.cluster_id);
  return ids;
}

const LiveCluster* find_live(const std::vector<LiveCluster>& clusters, const std::string& cluster_id) {
  for (const auto& c : clusters)
    if (c.cluster_id == cluster_id) return &c;
  return nullptr;
}

}  // namespace provision::engine
