#include "engine/reconcile_machine.hpp"

#include <algorithm>

namespace provision::engine::reconcile {
using std::chrono::milliseconds;

namespace {

std::string seconds(milliseconds d) { return std::to_string((d.count() + 500) / 1000) + "s"; }

}  // namespace

LiveState parse_live_state(std::string_view text) {
  if (text == "Starting") return LiveState::kStarting;
  if (text == "Running") return LiveState::kRunning;
  if (text == "Stopping") return LiveState::kStopping;
  if (text == "Stopped") return LiveState::kStopped;
  if (text == "Error") return LiveState::kError;
  return LiveState::kOther;
}

ActionFacts facts_of(const PlannedAction& a) {
  return {a.kind,
          a.identity.name,
          a.identity.workspace_id,
          a.cluster_id,
          a.replaced_cluster_id,
          a.update_after_adopt,
          a.resolves_pending_create};
}

Machine::Machine(ActionFacts facts, Limits limits) : facts_(std::move(facts)), limits_(limits) {
  cluster_id_ = facts_.cluster_id;
  switch (facts_.kind) {
    case ActionKind::kCreate:
      segments_ = {Segment::kCreate};
      break;
    case ActionKind::kUpdate:
      segments_ = {Segment::kUpdate};
      break;
    case ActionKind::kAdopt:
      segments_ = {Segment::kAdopt};
      if (facts_.update_after_adopt) segments_.push_back(Segment::kUpdate);
      break;
    case ActionKind::kDelete:
      segments_ = {Segment::kDestroy};
      break;
    case ActionKind::kReplace:
      cluster_id_ = facts_.replaced_cluster_id;
      segments_ = {Segment::kDestroy, Segment::kCreate};
      break;
    default:
      break;
  }
  if (limits_.wait && sends_body(facts_.kind)) segments_.push_back(Segment::kWaitRunning);
}

Step Machine::next(const Outcome& o) {
  if (phase_ == Phase::kFinished)
    return finish(Failure{ErrorKind::kInternal, "the action is already finished"});
  return o.kind == OutcomeKind::kBegin ? begin_segment(o) : on_outcome(o);
}

Step Machine::begin_segment(const Outcome& o) {
  if (segments_.empty()) return finish(std::nullopt);
  segment_ = segments_.front();
  segments_.erase(segments_.begin());
  switch (segment_) {
    case Segment::kCreate:
      create_attempts_ = 0;
      return commit(Phase::kPendingCreateSaved, ChangeKind::kPendingCreate, Subject::kDesired);
    case Segment::kUpdate:
      note("updating");
      return send(Phase::kUpdateSent, RequestKind::kUpdate);
    case Segment::kAdopt: {
      // After a pending-create, the body we sent is the one the cluster has.
      const bool body_known = facts_.resolves_pending_create && !facts_.update_after_adopt;
      return commit(Phase::kAdoptedSaved, ChangeKind::kCreated, Subject::kDesired, cluster_id_, body_known);
    }
    case Segment::kWaitRunning:
      deadline_ = o.now + limits_.timeout;
      delay_ = limits_.poll_initial;
      started_ = false;
      start_token_.clear();
      return send_get(Phase::kRunningGet);
    case Segment::kDestroy:
      if (cluster_id_.empty()) {  // a pending create: find out whether it happened
        note("looking-up");
        lookup_why_ = "the cluster's create never finished";
        return send(Phase::kDestroyLookup, RequestKind::kList);
      }
      return commit(Phase::kPendingDeleteSaved, ChangeKind::kPendingDelete, Subject::kExisting, cluster_id_);
  }
  return finish(Failure{ErrorKind::kInternal, "unknown reconcile segment"});
}

Step Machine::end_segment(const Outcome& o) {
  if (segment_ == Segment::kDestroy && facts_.kind == ActionKind::kReplace) cluster_id_.clear();
  return begin_segment(o);
}

Step Machine::on_outcome(const Outcome& o) {
  if (o.kind == OutcomeKind::kCommitFailed) {
    if (phase_ != Phase::kPendingCreateSaved) return finish(o.failure);
    held_failure_ = o.failure;  // the Create is not sent; the unsaved record is taken back
    return commit(Phase::kUndone, ChangeKind::kUndoPendingCreate, Subject::kDesired);
  }
  switch (phase_) {
    case Phase::kPendingCreateSaved:
      return send_create();
    case Phase::kUndone:
    case Phase::kRejectedForgotten:
      return finish(held_failure_);
    case Phase::kCreateSent:
      return on_create_sent(o);
    case Phase::kCreateLookup:
    case Phase::kDestroyLookup:
      return on_lookup(o);
    case Phase::kCreatedSaved:
      note("created");
      return end_segment(o);
    case Phase::kFoundSaved:
      note("adopted", "the create had succeeded: adopted " + cluster_id_);
      return end_segment(o);
    case Phase::kUpdateSent:
      if (o.kind == OutcomeKind::kOk)
        return commit(Phase::kUpdatedSaved, ChangeKind::kUpdated, Subject::kDesired);
      if (o.kind == OutcomeKind::kNotFound) return finish(gone_since_planned());
      return fail_request(o);
    case Phase::kAdoptedSaved:
      note("adopted");
      return end_segment(o);
    case Phase::kUpdatedSaved:
    case Phase::kGoneForgotten:
      return end_segment(o);
    case Phase::kRunningGet:
    case Phase::kStopGet:
    case Phase::kConfirmGet:
      return on_get(o);
    case Phase::kStartSent:
      if (o.kind != OutcomeKind::kOk) return fail_request(o);
      start_token_ = o.start_token;
      started_ = true;
      return pause_or_time_out(Phase::kRunningPause, "Running", o);
    case Phase::kRunningPause:
      return send_get(Phase::kRunningGet);
    case Phase::kPendingDeleteSaved:
      deadline_ = o.now + limits_.timeout;
      delay_ = limits_.poll_initial;
      stop_sent_ = false;
      unknown_outcomes_ = 0;
      return send_get(Phase::kStopGet);
    case Phase::kStopSent:
      return on_stop_or_delete(o, "stop");
    case Phase::kDeleteSent:
      return on_stop_or_delete(o, "delete");
    case Phase::kStopPause:
      return send_get(Phase::kStopGet);
    case Phase::kConfirmPause:
      note("confirming");
      return send_get(Phase::kConfirmGet);
    case Phase::kPollRetryPause:
      return send(resume_, RequestKind::kGet);  // the same poll again: its failures keep counting
    case Phase::kStart:
    case Phase::kFinished:
      break;
  }
  return finish(Failure{ErrorKind::kInternal, "reconcile outcome in an unexpected phase"});
}

Step Machine::on_create_sent(const Outcome& o) {
  if (o.kind == OutcomeKind::kOk) {
    cluster_id_ = o.cluster_id;
    return commit(Phase::kCreatedSaved, ChangeKind::kCreated, Subject::kDesired, cluster_id_);
  }
  held_failure_ = o.failure;
  if (o.kind != OutcomeKind::kUnknown)  // rejected: nothing was created
    return commit(Phase::kRejectedForgotten, ChangeKind::kForget, Subject::kDesired);
  note("looking-up", "the create's outcome is unknown (" + o.detail + "): looking the cluster up by name");
  lookup_why_ = "the create's outcome is unknown (" + o.failure.message + ")";
  return send(Phase::kCreateLookup, RequestKind::kList);
}

Step Machine::on_lookup(const Outcome& o) {
  if (o.kind != OutcomeKind::kOk)
    return finish(Failure{o.failure.kind,
                          lookup_why_ + ", and listing workspace " + facts_.workspace_id +
                              " to find out failed: " + o.failure.message +
                              "; the pending-create record stays, so the next apply resolves it by name",
                          o.failure.hint ? o.failure.hint : held_failure_.hint});  // one advice: the latest
  if (o.matches.size() > 1) return finish(conflict(o.matches));
  const bool creating = phase_ == Phase::kCreateLookup;
  if (o.matches.size() == 1) {
    cluster_id_ = o.matches.front();
    if (creating) return commit(Phase::kFoundSaved, ChangeKind::kCreated, Subject::kDesired, cluster_id_);
    return commit(Phase::kPendingDeleteSaved, ChangeKind::kPendingDelete, Subject::kExisting, cluster_id_);
  }
  if (!creating) return commit(Phase::kGoneForgotten, ChangeKind::kForget, Subject::kExisting);
  if (create_attempts_ >= limits_.max_create_attempts)  // the listing shows it was not created
    return commit(Phase::kRejectedForgotten, ChangeKind::kForget, Subject::kDesired);
  return send_create();
}

// A Get failing even after the client's retries is tolerated a few times in a row:
// waiting is long, and a passing network problem should not fail it.
Step Machine::on_get(const Outcome& o) {
  if (o.kind == OutcomeKind::kRejected || o.kind == OutcomeKind::kUnknown) {
    if (o.kind == OutcomeKind::kRejected || ++poll_failures_ >= limits_.max_poll_failures)
      return fail_request(o);
    note(stage_, "polling failed, trying again: " + o.detail);
    resume_ = phase_;
    return wait(Phase::kPollRetryPause, limits_.poll_initial);
  }
  if (o.kind == OutcomeKind::kNotFound || !o.cluster) {
    if (phase_ == Phase::kRunningGet)
      return finish(Failure{ErrorKind::kApi,
                            "cluster " + cluster_id_ + " disappeared while waiting for it to be Running"});
    if (phase_ == Phase::kConfirmGet) live_state_ = "Deleted";
    return commit(Phase::kGoneForgotten, ChangeKind::kForget, Subject::kExisting);
  }
  live_state_ = o.cluster->state_text;
  instance_id_ = o.cluster->instance_id;
  if (phase_ == Phase::kRunningGet) return on_running(*o.cluster, o);
  if (phase_ == Phase::kStopGet) return on_stopping(*o.cluster, o);
  return pause_or_time_out(Phase::kConfirmPause, "gone", o);
}

Step Machine::on_running(const ClusterView& view, const Outcome& o) {
  if (view.state == LiveState::kRunning) return end_segment(o);
  if (view.state == LiveState::kError)
    return finish(Failure{
        ErrorKind::kApi, "cluster " + facts_.name + " (" + cluster_id_ +
                             ") is in state Error: " + (view.message.empty() ? "no message" : view.message)});
  if (view.state == LiveState::kStopped && !started_) {
    note("starting");
    return send(Phase::kStartSent, RequestKind::kStart);
  }
  note("waiting");
  return pause_or_time_out(Phase::kRunningPause, "Running", o);
}

Step Machine::on_stopping(const ClusterView& view, const Outcome& o) {
  if (view.state == LiveState::kStopped || view.state == LiveState::kError) {
    note("deleting");
    return send(Phase::kDeleteSent, RequestKind::kDelete);
  }
  if (view.state == LiveState::kRunning && !stop_sent_) {
    note("stopping");
    return send(Phase::kStopSent, RequestKind::kStop);
  }
  note("waiting");
  return pause_or_time_out(Phase::kStopPause, "Stopped", o);
}

// A Stop or Delete whose answer was lost (reset, timeout, 500) is not an error yet: the
// cluster's state says whether it happened, and the next turn sends it again if not.
Step Machine::on_stop_or_delete(const Outcome& o, const char* what) {
  const bool done = o.kind == OutcomeKind::kOk || o.kind == OutcomeKind::kNotFound;
  if (done && phase_ == Phase::kDeleteSent) {
    delay_ = limits_.poll_initial;
    note("confirming");
    return send_get(Phase::kConfirmGet);
  }
  if (done) {
    stop_sent_ = true;
  } else {
    if (o.kind != OutcomeKind::kUnknown || ++unknown_outcomes_ >= limits_.max_unknown_outcomes)
      return fail_request(o);
    note("checking", std::string("the ") + what + "'s outcome is unknown (" + o.detail +
                         "): checking the cluster's state");
  }
  return pause_or_time_out(Phase::kStopPause, "Stopped", o);
}

Step Machine::send(Phase phase, RequestKind kind) {
  phase_ = phase;
  Step s = step(StepKind::kSend);
  s.request.kind = kind;
  s.request.subject = segment_ == Segment::kDestroy ? Subject::kExisting : Subject::kDesired;
  if (kind != RequestKind::kCreate && kind != RequestKind::kList) s.request.cluster_id = cluster_id_;
  if (kind == RequestKind::kStart) s.request.start_token = start_token_;
  if (kind == RequestKind::kStop) s.request.instance_id = instance_id_;
  return s;
}

Step Machine::send_get(Phase phase) {
  poll_failures_ = 0;
  return send(phase, RequestKind::kGet);
}

Step Machine::send_create() {
  ++create_attempts_;
  note("creating");
  return send(Phase::kCreateSent, RequestKind::kCreate);
}

Step Machine::commit(Phase phase, ChangeKind kind, Subject subject, std::string cluster_id, bool body_known) {
  phase_ = phase;
  Step s = step(StepKind::kCommit);
  s.change.kind = kind;
  s.change.subject = subject;
  s.change.cluster_id = std::move(cluster_id);
  s.change.body_known = body_known;
  return s;
}

Step Machine::wait(Phase phase, milliseconds delay) {
  phase_ = phase;
  Step s = step(StepKind::kWait);
  s.wait = delay;
  return s;
}

// The pause doubles up to poll_max, and never runs past the deadline.
Step Machine::pause_or_time_out(Phase pause, const char* goal, const Outcome& o) {
  if (o.now >= deadline_) return finish(timed_out(goal));
  const milliseconds delay = std::max(milliseconds(1), std::min(delay_, deadline_ - o.now));
  delay_ = std::min(delay_ * 2, limits_.poll_max);
  return wait(pause, delay);
}

Step Machine::finish(std::optional<Failure> failure) {
  phase_ = Phase::kFinished;
  Step s = step(StepKind::kFinish);
  s.failure = std::move(failure);
  return s;
}

Step Machine::step(StepKind kind) {
  Step s;
  s.kind = kind;
  s.notes = std::move(notes_);
  notes_.clear();
  return s;
}

void Machine::note(std::string stage, std::string message) {
  stage_ = stage;
  notes_.push_back({std::move(stage), std::move(message)});
}

Failure Machine::conflict(const std::vector<std::string>& ids) const {
  std::string list;
  for (const auto& id : ids) list += (list.empty() ? "" : ", ") + id;
  return {ErrorKind::kApi,
          std::to_string(ids.size()) + " clusters named '" + facts_.name + "' exist in workspace " +
              facts_.workspace_id + " (" + list + "); provision will not guess",
          hint_of(HintKind::kDeleteExtrasOrImport)};
}

Failure Machine::gone_since_planned() const {
  Hint forget = hint_of(HintKind::kRefreshOrForget);
  forget.name = facts_.name;
  return {ErrorKind::kApi, "cluster " + cluster_id_ + " no longer exists (deleted outside provision?)",
          std::move(forget)};
}

Failure Machine::timed_out(const char* goal) const {
  return {ErrorKind::kNetwork, "timed out after " + seconds(limits_.timeout) + " waiting for " + facts_.name +
                                   " (" + cluster_id_ + ") to be " + goal + " (last state " +
                                   (live_state_.empty() ? "unknown" : live_state_) + ")"};
}

}  // namespace provision::engine::reconcile
