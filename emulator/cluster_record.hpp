// One stored Ray cluster: its spec as last created/updated, lifecycle state and timestamps;
// its persistence form and the response views of GetRayCluster and ListRayCluster.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace provision::emulator {

enum class ClusterState { kStarting, kRunning, kStopping, kStopped, kError };

// "Starting", "Running", ... exactly as the API spells them.
std::string_view state_name(ClusterState state);
std::optional<ClusterState> parse_state(std::string_view name);

struct ClusterRecord {
  std::string cluster_id;
  std::string workspace_id;
  std::string instance_id;
  std::string submit_token;  // data-plane token the service hands out; not an account secret
  boost::json::object spec;  // validated Create/Update body fields (see cluster_validation.hpp)
  ClusterState state = ClusterState::kStarting;
  std::string message;
  std::int64_t create_time_ms = 0;
  std::int64_t start_time_ms = 0;
  std::int64_t modified_time_ms = 0;
  std::int64_t transition_due_ms = 0;  // when Starting/Stopping completes
  bool modified = false;               // spec updated since the cluster last started
  std::string last_start_token;        // clientToken of the last accepted StartRayCluster
  std::uint64_t sequence = 0;          // creation order, for stable List paging
};

// The on-disk form (all fields) and back; from_json returns nullopt on a damaged record.
boost::json::object record_to_json(const ClusterRecord& record);
std::optional<ClusterRecord> record_from_json(const boost::json::value& value);

// GetRayCluster's body (without requestId): the stored spec fields as received (none
// invented for absent ones) plus state, times, URLs and pods.
boost::json::object get_view(const ClusterRecord& record);

// One ListRayCluster item: like get_view without jobUrl, jobUrlInner, submitToken, instances,
// volumeIds and extraParam (api.md §1.5).
boost::json::object list_view(const ClusterRecord& record);

}  // namespace provision::emulator
