// Carries out a plan against the API: clusters concurrently on one io_context
// (at most `parallelism` at once), state saved after every change, one cluster's
// failure never stopping the others. The protocol each cluster follows is the
// reconcile machine (reconcile_machine.hpp); the ActionDriver carries it out.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "api/ray_cluster_client.hpp"
#include "core/clock.hpp"
#include "engine/events.hpp"
#include "engine/live_cluster.hpp"
#include "engine/plan.hpp"
#include "engine/state_writer.hpp"

namespace boost::asio {
class io_context;
}

namespace provision::engine {

struct RunOptions {
  std::size_t parallelism = 10;
  bool wait = true;                                   // wait for Running after create/update
  std::chrono::milliseconds timeout{30 * 60 * 1000};  // per cluster, for each wait
  std::chrono::milliseconds poll_initial{500};        // first pause between GetRayCluster polls
  std::chrono::milliseconds poll_max{5000};           // the pause doubles up to this
  int max_create_attempts = 2;                        // Creates sent for one cluster in one run
  int max_unknown_outcomes = 4;  // Stops/Deletes of one cluster whose outcome was unknown before giving up
};

// The API client for a region (the CLI builds one per endpoint; they share one transport).
using ClientFor = std::function<api::RayClusterClient&(const std::string& region_id)>;

// Converts a ListRayCluster / GetRayCluster item.
LiveCluster live_from_info(const api::ClusterInfo& info);

// True when a failure says the cluster does not exist (HTTP 404 "NotFound" and kin).
bool is_not_found(const api::ApiFailure& failure);

class Runner {
 public:
  // All references must outlive the runner.
  Runner(boost::asio::io_context& io, ClientFor clients, EventSink& sink,
         const MonotonicClock& clock = default_monotonic_clock())
      : io_(io), clients_(std::move(clients)), sink_(sink), clock_(clock) {}

  // Lists each workspace once (all pages), all of them concurrently. Throws Error
  // (kApi or kNetwork) naming the workspace when a listing fails.
  LiveClusters list_workspaces(const std::vector<WorkspaceKey>& keys);

  // Runs every changing action of `plan` (create, update, delete, replace, adopt);
  // the others are not in the summary. Returns when all are done.
  RunSummary run(const Plan& plan, StateWriter& writer, const RunOptions& options);

 private:
  boost::asio::io_context& io_;
  ClientFor clients_;
  EventSink& sink_;
  const MonotonicClock& clock_;
};

}  // namespace provision::engine
