// The words of the reconcile protocol: what the machine asks the driver to do (a
// Step) and what the driver tells it back (an Outcome). Plain data, no I/O, so the
// protocol can be tested with tables (tests/unit/engine/reconcile_machine_test.cpp).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/hint.hpp"

namespace provision::engine::reconcile {

// GetRayCluster's `state`: the documented values, and kOther for anything else.
enum class LiveState { kStarting, kRunning, kStopping, kStopped, kError, kOther };
LiveState parse_live_state(std::string_view text);

enum class RequestKind { kCreate, kUpdate, kGet, kList, kStart, kStop, kDelete };

// Whose record: the spec's cluster, or the one being destroyed (for a replace, the old identity).
enum class Subject { kDesired, kExisting };

struct Request {
  RequestKind kind = RequestKind::kGet;
  Subject subject = Subject::kDesired;  // whose workspace and region the request goes to
  std::string cluster_id;               // Update, Get, Start, Stop, Delete
  std::string start_token;              // Start: the token of this run's earlier Start, "" the first time
  std::string instance_id;              // Stop: from the last GetRayCluster
  bool operator==(const Request&) const = default;
};

enum class ChangeKind { kPendingCreate, kUndoPendingCreate, kCreated, kUpdated, kPendingDelete, kForget };

struct RecordChange {
  ChangeKind kind = ChangeKind::kForget;
  Subject subject = Subject::kDesired;
  std::string cluster_id;  // kCreated, kPendingDelete
  bool body_known = true;  // kCreated: the cluster has the body we hold
  // kUndoPendingCreate only changes memory: the pending-create it undoes was never saved.
  bool durable() const { return kind != ChangeKind::kUndoPendingCreate; }
  bool operator==(const RecordChange&) const = default;
};

// A progress event to report: "creating", "waiting", "looking-up", ...
struct Note {
  std::string stage;
  std::string message;
  bool operator==(const Note&) const = default;
};

struct Failure {
  ErrorKind kind = ErrorKind::kApi;
  std::string message;  // the fact; what to do about it is the hint's, rendered by the CLI
  Hint hint = {};
  bool operator==(const Failure&) const = default;
};

enum class StepKind { kSend, kCommit, kWait, kFinish };

struct Step {
  StepKind kind = StepKind::kFinish;
  std::vector<Note> notes;  // reported before the step is carried out
  Request request;          // kSend
  RecordChange change;      // kCommit: apply to the state, then (if durable) wait for the save
  std::chrono::milliseconds wait{0};
  std::optional<Failure> failure;  // kFinish: nullopt when the cluster's work succeeded
};

enum class OutcomeKind {
  kBegin,         // nothing happened yet: the first call
  kOk,            // the request answered, the commit is durable, the wait is over
  kNotFound,      // the API says the cluster does not exist (Get, Update, Stop, Delete)
  kRejected,      // a final API failure: the request did not take effect
  kUnknown,       // the answer was lost or the server failed: the request may have taken effect
  kCommitFailed,  // the state could not be saved
};

// What one GetRayCluster said.
struct ClusterView {
  LiveState state = LiveState::kOther;
  std::string state_text;   // verbatim, for messages
  std::string message;      // the API's text when state is Error
  std::string instance_id;  // needed by StopRayCluster
};

struct Outcome {
  OutcomeKind kind = OutcomeKind::kBegin;
  std::chrono::milliseconds now{0};    // since the action began, from the driver's steady clock
  std::string cluster_id;              // Create
  std::string start_token;             // Start
  std::optional<ClusterView> cluster;  // Get
  std::vector<std::string> matches;    // List: the clusters named like this one
  Failure failure;                     // kRejected, kUnknown, kCommitFailed: kind and full message
  std::string detail;                  // kRejected, kUnknown: the API's message or the transport reason

  static Outcome of(OutcomeKind kind) {
    Outcome o;
    o.kind = kind;
    return o;
  }
};

}  // namespace provision::engine::reconcile
