// What the engine reports while it runs and when it is done: progress events per
// cluster and a summary of every result. The CLI renders them (text or JSON).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "engine/plan.hpp"
#include "state/cluster_state.hpp"

namespace provision::engine {

// One step of one cluster: "creating", "waiting", "starting", "updating",
// "stopping", "deleting", "confirming", "looking-up", "done", "failed".
struct ClusterEvent {
  state::ClusterIdentity identity;
  ActionKind action = ActionKind::kNoChange;
  std::string stage;
  std::string cluster_id;
  std::string live_state;  // the last state read from the API, if any
  std::chrono::milliseconds elapsed{0};
  bool finished = false;
  bool ok = true;
  std::string message;  // detail: the failure, or what was decided
  Hint hint = {};       // the failure's advice, rendered by the CLI
};

// The end of one cluster's work.
struct ClusterResult {
  state::ClusterIdentity identity;
  ActionKind action = ActionKind::kNoChange;
  bool ok = true;
  std::string cluster_id;
  std::string live_state;
  std::string dashboard_url;
  std::string message;
  Hint hint = {};  // the failure's advice, rendered by the CLI
  std::chrono::milliseconds elapsed{0};
  ErrorKind failure = ErrorKind::kApi;  // when !ok: kApi, kNetwork, kState or kInternal
};

struct RunSummary {
  std::vector<ClusterResult> results;
  std::size_t count(ActionKind action, bool ok = true) const;
  std::size_t failed() const;
  // The exit kind when something failed: kNetwork if every failure was a network
  // failure, kState if any was a state failure, kApi otherwise.
  ErrorKind failure_kind() const;
};

// Receives events on the engine's thread, in order.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void on_event(const ClusterEvent& event) = 0;
  // Called about once a second while clusters are being worked on (to refresh timers).
  virtual void on_tick() {}
};

}  // namespace provision::engine
