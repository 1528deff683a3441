// The reconcile protocol for one planned action, as a machine without I/O or a clock.
// The driver calls next() with the outcome of the previous step (kBegin the first
// time) until it returns kFinish. What keeps users safe lives here:
//  - create: pending-create is saved before the Create; a lost answer is resolved by
//    listing the workspace by name before anything is created again;
//  - destroy: pending-delete is saved first; Stop, wait for Stopped, Delete, confirm gone;
//    a lost Stop or Delete answer is checked against the cluster's state;
//  - wait: poll until Running, Start a Stopped cluster once, fail on Error or timeout.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "engine/plan.hpp"
#include "engine/reconcile_step.hpp"

namespace provision::engine::reconcile {

// The facts of a planned action the protocol depends on.
struct ActionFacts {
  ActionKind kind = ActionKind::kNoChange;
  std::string name;                 // the cluster's name, for lookups by name and messages
  std::string workspace_id;         // for messages
  std::string cluster_id;           // update, delete, adopt: the cluster acted on
  std::string replaced_cluster_id;  // replace: the old cluster
  bool update_after_adopt = false;
  bool resolves_pending_create = false;
};
ActionFacts facts_of(const PlannedAction& action);

struct Limits {
  bool wait = true;  // wait for Running after create/update/adopt
  std::chrono::milliseconds timeout{30 * 60 * 1000};
  std::chrono::milliseconds poll_initial{500};
  std::chrono::milliseconds poll_max{5000};
  int max_create_attempts = 2;
  int max_unknown_outcomes = 4;
  int max_poll_failures = 3;  // failed Gets in a row (after the client's own retries)
};

class Machine {
 public:
  Machine(ActionFacts facts, Limits limits);

  Step next(const Outcome& outcome);

  const std::string& cluster_id() const { return cluster_id_; }
  const std::string& live_state() const { return live_state_; }  // verbatim; "Deleted" once gone
  bool finished() const { return phase_ == Phase::kFinished; }

 private:
  enum class Segment { kCreate, kUpdate, kAdopt, kWaitRunning, kDestroy };
  enum class Phase {
    kStart,  // the next segment begins
    kPendingCreateSaved,
    kUndone,
    kCreateSent,
    kCreateLookup,
    kCreatedSaved,
    kFoundSaved,
    kRejectedForgotten,
    kUpdateSent,
    kUpdatedSaved,
    kAdoptedSaved,
    kRunningGet,
    kStartSent,
    kRunningPause,
    kDestroyLookup,
    kPendingDeleteSaved,
    kStopGet,
    kStopSent,
    kDeleteSent,
    kStopPause,
    kConfirmGet,
    kConfirmPause,
    kGoneForgotten,
    kPollRetryPause,
    kFinished,
  };

  Step on_outcome(const Outcome& o);
  Step begin_segment(const Outcome& o);
  Step end_segment(const Outcome& o);
  Step on_get(const Outcome& o);
  Step on_running(const ClusterView& view, const Outcome& o);
  Step on_stopping(const ClusterView& view, const Outcome& o);
  Step on_create_sent(const Outcome& o);
  Step on_lookup(const Outcome& o);
  Step on_stop_or_delete(const Outcome& o, const char* what);

  Step send(Phase phase, RequestKind kind);
  Step send_get(Phase phase);
  Step send_create();
  Step commit(Phase phase, ChangeKind kind, Subject subject, std::string cluster_id = {},
              bool body_known = true);
  Step wait(Phase phase, std::chrono::milliseconds delay);
  Step pause_or_time_out(Phase pause, const char* goal, const Outcome& o);
  Step finish(std::optional<Failure> failure);
  Step step(StepKind kind);  // carries the notes made since the last step
  Step fail_request(const Outcome& o) { return finish(o.failure); }
  void note(std::string stage, std::string message = "");
  Failure conflict(const std::vector<std::string>& ids) const;
  Failure gone_since_planned() const;  // an Update found no cluster
  Failure timed_out(const char* goal) const;

  ActionFacts facts_;
  Limits limits_;
  std::vector<Segment> segments_;  // what is left to do, next first
  Segment segment_ = Segment::kCreate;
  Phase phase_ = Phase::kStart;
  Phase resume_ = Phase::kStart;  // the Get to send again after a failed poll

  std::string cluster_id_;
  std::string live_state_;
  std::string instance_id_;
  std::string stage_;  // the last stage noted, repeated by "polling failed" notes
  std::vector<Note> notes_;

  int create_attempts_ = 0;
  int unknown_outcomes_ = 0;
  int poll_failures_ = 0;
  bool stop_sent_ = false;
  bool started_ = false;
  std::string start_token_;
  std::string lookup_why_;
  Failure held_failure_;  // reported once the record change it caused is saved
  std::chrono::milliseconds deadline_{0};
  std::chrono::milliseconds delay_{0};
};

}  // namespace provision::engine::reconcile
