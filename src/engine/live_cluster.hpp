// What the engine knows about clusters that exist in the cloud: the ListRayCluster
// items of each workspace, read once per run and shared by every cluster in it.
#pragma once

#include <boost/json/object.hpp>
#include <compare>
#include <map>
#include <string>
#include <vector>

namespace provision::engine {

struct LiveCluster {
  std::string cluster_id;
  std::string name;
  std::string state;  // Starting | Running | Stopping | Stopped | Error
  std::string message;
  std::string dashboard_url;
  boost::json::object raw;  // the whole list item, for the drift check
};

// A workspace is only unique within its region (each region has its own endpoint).
struct WorkspaceKey {
  std::string region_id;
  std::string workspace_id;
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy misreads the defaulted comparison
  auto operator<=>(const WorkspaceKey&) const = default;
};

// Workspaces that were listed; a workspace missing from the map was not listed.
using LiveClusters = std::map<WorkspaceKey, std::vector<LiveCluster>>;

// The ids of every live cluster in `clusters` named `name` (in listing order).
std::vector<std::string> ids_named(const std::vector<LiveCluster>& clusters, const std::string& name);

// The live cluster with `cluster_id`, or nullptr.
const LiveCluster* find_live(const std::vector<LiveCluster>& clusters, const std::string& cluster_id);

}  // namespace provision::engine
