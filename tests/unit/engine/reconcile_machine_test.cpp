// The reconcile protocol as tables: each scenario feeds the machine outcomes and
// checks every step it answers, written as text ("creating | send create").
#include "engine/reconcile_machine.hpp"

#include <doctest/doctest.h>

#include <sstream>

namespace provision::engine::reconcile {
namespace {
using std::chrono::milliseconds;

const char* request_name(RequestKind k) {
  constexpr const char* names[] = {"create", "update", "get", "list", "start", "stop", "delete"};
  return names[static_cast<int>(k)];
}

const char* change_name(ChangeKind k) {
  constexpr const char* names[] = {"pending-create", "undo-pending-create", "created",
                                   "updated",        "pending-delete",      "forget"};
  return names[static_cast<int>(k)];
}

const char* kind_name(ErrorKind k) {
  switch (k) {
    case ErrorKind::kApi:
      return "api";
    case ErrorKind::kNetwork:
      return "network";
    case ErrorKind::kState:
      return "state";
    default:
      return "other";
  }
}

// "stage stage | step": the notes' stages, then the step.
std::string describe(const Step& s) {
  std::ostringstream out;
  for (const auto& n : s.notes) out << n.stage << " | ";
  switch (s.kind) {
    case StepKind::kSend:
      out << "send " << request_name(s.request.kind);
      if (!s.request.cluster_id.empty()) out << " " << s.request.cluster_id;
      if (!s.request.start_token.empty()) out << " token=" << s.request.start_token;
      if (!s.request.instance_id.empty()) out << " instance=" << s.request.instance_id;
      if (s.request.subject == Subject::kExisting) out << " (existing)";
      break;
    case StepKind::kCommit:
      out << "commit " << change_name(s.change.kind);
      if (!s.change.cluster_id.empty()) out << " " << s.change.cluster_id;
      if (!s.change.body_known) out << " body-unknown";
      if (s.change.subject == Subject::kExisting) out << " (existing)";
      break;
    case StepKind::kWait:
      out << "wait " << s.wait.count();
      break;
    case StepKind::kFinish:
      out << "finish " << (s.failure ? kind_name(s.failure->kind) : "ok");
      break;
  }
  return out.str();
}

// "ok id=ray-1 state=Running at=500": kind, then key=value facts.
Outcome outcome(const std::string& text) {
  std::istringstream in(text);
  std::string word;
  in >> word;
  const std::pair<const char*, OutcomeKind> kinds[] = {
      {"begin", OutcomeKind::kBegin},        {"ok", OutcomeKind::kOk},
      {"not-found", OutcomeKind::kNotFound}, {"rejected", OutcomeKind::kRejected},
      {"unknown", OutcomeKind::kUnknown},    {"commit-failed", OutcomeKind::kCommitFailed}};
  Outcome o;
  for (const auto& [name, kind] : kinds)
    if (word == name) o.kind = kind;
  o.failure = {o.kind == OutcomeKind::kCommitFailed ? ErrorKind::kState : ErrorKind::kApi, word + " failure"};
  o.detail = word + " detail";
  while (in >> word) {
    const auto eq = word.find('=');
    const std::string key = word.substr(0, eq), value = word.substr(eq + 1);
    if (key == "id") o.cluster_id = value;
    if (key == "token") o.start_token = value;
    if (key == "at") o.now = milliseconds(std::stoll(value));
    if (key == "network") o.failure.kind = ErrorKind::kNetwork;
    if (key == "state")
      o.cluster = ClusterView{parse_live_state(value), value, value == "Error" ? "boom" : "", "i-1"};
    if (key == "matches")
      for (std::size_t at = 0; at < value.size();) {
        const auto comma = std::min(value.find(',', at), value.size());
        o.matches.push_back(value.substr(at, comma - at));
        at = comma + 1;
      }
  }
  return o;
}

struct Row {
  std::string outcome;
  std::string step;
};

struct Scenario {
  std::string name;
  ActionFacts facts;
  std::vector<Row> rows;
  std::string failure_contains = "";  // part of the final failure message
  std::string final_live_state = "";
  HintKind hint = HintKind::kNone;  // the advice the final failure carries for the CLI to word
};

ActionFacts action(ActionKind kind, std::string cluster_id = "") {
  ActionFacts f;
  f.kind = kind;
  f.name = "alpha";
  f.workspace_id = "w-1";
  f.cluster_id = std::move(cluster_id);
  return f;
}

ActionFacts replace_of(std::string old_id) {
  ActionFacts f = action(ActionKind::kReplace);
  f.replaced_cluster_id = std::move(old_id);
  return f;
}

ActionFacts adopt(bool update, bool resolves) {
  ActionFacts f = action(ActionKind::kAdopt, "ray-1");
  f.update_after_adopt = update;
  f.resolves_pending_create = resolves;
  return f;
}

Limits limits(bool wait = true) {
  Limits l;
  l.wait = wait;
  l.timeout = milliseconds(10000);
  l.poll_initial = milliseconds(500);
  l.poll_max = milliseconds(2000);
  return l;
}

void run(const Scenario& s, const Limits& l) {
  CAPTURE(s.name);
  Machine m(s.facts, l);
  Step last;
  for (std::size_t i = 0; i < s.rows.size(); ++i) {
    CAPTURE(i);
    CAPTURE(s.rows[i].outcome);
    REQUIRE(!m.finished());
    last = m.next(outcome(s.rows[i].outcome));
    CHECK(describe(last) == s.rows[i].step);
  }
  CHECK(m.finished());
  if (!s.failure_contains.empty()) {
    REQUIRE(last.failure);
    CHECK_MESSAGE(last.failure->message.find(s.failure_contains) != std::string::npos, last.failure->message);
  }
  if (last.failure) {
    // The machine states the fact; only the CLI names its commands and options.
    CHECK_MESSAGE(last.failure->message.find("'provision ") == std::string::npos, last.failure->message);
    CHECK_MESSAGE(last.failure->message.find("--") == std::string::npos, last.failure->message);
    CHECK(last.failure->hint.kind == s.hint);
    if (s.hint == HintKind::kRefreshOrForget) CHECK(last.failure->hint.name == s.facts.name);
  }
  if (!s.final_live_state.empty()) CHECK(m.live_state() == s.final_live_state);
}

}  // namespace

TEST_CASE("create: pending-create saved first, then Create, then wait for Running") {
  const std::vector<Scenario> table = {
      {"created and running",
       action(ActionKind::kCreate),
       {{"begin", "commit pending-create"},
        {"ok", "creating | send create"},
        {"ok id=ray-1", "commit created ray-1"},
        {"ok", "created | send get ray-1"},
        {"ok state=Starting", "waiting | wait 500"},
        {"ok", "send get ray-1"},
        {"ok state=Running", "finish ok"}}},
      {"the pending-create cannot be saved: nothing is sent, the record is taken back",
       action(ActionKind::kCreate),
       {{"begin", "commit pending-create"},
        {"commit-failed", "commit undo-pending-create"},
        {"ok", "finish state"}},
       "commit-failed failure"},
      {"rejected: nothing was created, the record is forgotten",
       action(ActionKind::kCreate),
       {{"begin", "commit pending-create"},
        {"ok", "creating | send create"},
        {"rejected", "commit forget"},
        {"ok", "finish api"}},
       "rejected failure"},
      {"the created record cannot be saved",
       action(ActionKind::kCreate),
       {{"begin", "commit pending-create"},
        {"ok", "creating | send create"},
        {"ok id=ray-1", "commit created ray-1"},
        {"commit-failed", "finish state"}}},
      {"unknown outcome, the listing finds it: adopted, never created twice",
       action(ActionKind::kCreate),
       {{"begin", "commit pending-create"},
        {"ok", "creating | send create"},
        {"unknown", "looking-up | send list"},
        {"ok matches=ray-9", "commit created ray-9"},
        {"ok", "adopted | send get ray-9"},
        {"ok state=Running", "finish ok"}}},
      {"unknown outcome twice, the listing finds nothing: forgotten after the last attempt",
       action(ActionKind::kCreate),
       {{"begin", "commit pending-create"},
        {"ok", "creating | send create"},
        {"unknown", "looking-up | send list"},
        {"ok matches=", "creating | send create"},
        {"unknown network", "looking-up | send list"},
        {"ok matches=", "commit forget"},
        {"ok", "finish network"}},
       "unknown failure"},
      {"unknown outcome, several clusters have the name: no guess",
       action(ActionKind::kCreate),
       {{"begin", "commit pending-create"},
        {"ok", "creating | send create"},
        {"unknown", "looking-up | send list"},
        {"ok matches=ray-1,ray-2", "finish api"}},
       "2 clusters named 'alpha' exist in workspace w-1 (ray-1, ray-2)",
       "",
       HintKind::kDeleteExtrasOrImport},
      {"unknown outcome and the listing fails: the pending-create stays for the next apply",
       action(ActionKind::kCreate),
       {{"begin", "commit pending-create"},
        {"ok", "creating | send create"},
        {"unknown", "looking-up | send list"},
        {"unknown network", "finish network"}},
       "the pending-create record stays"},
  };
  for (const auto& s : table) run(s, limits());
  run({"without --wait the run ends at created",
       action(ActionKind::kCreate),
       {{"begin", "commit pending-create"},
        {"ok", "creating | send create"},
        {"ok id=ray-1", "commit created ray-1"},
        {"ok", "created | finish ok"}}},
      limits(false));
}

TEST_CASE("wait for Running: Start a Stopped cluster once, fail on Error, on disappearance and on timeout") {
  const auto created = [](std::vector<Row> rest) {
    std::vector<Row> rows = {{"begin", "commit pending-create"},
                             {"ok", "creating | send create"},
                             {"ok id=ray-1", "commit created ray-1"},
                             {"ok", "created | send get ray-1"}};
    rows.insert(rows.end(), rest.begin(), rest.end());
    return rows;
  };
  const std::vector<Scenario> table = {
      {"Stopped: one Start, its token kept, no second Start", action(ActionKind::kCreate),
       created({{"ok state=Stopped", "starting | send start ray-1"},
                {"ok token=t-1", "wait 500"},
                {"ok", "send get ray-1"},
                {"ok state=Stopped", "waiting | wait 1000"},
                {"ok", "send get ray-1"},
                {"ok state=Running", "finish ok"}})},
      {"the Start fails", action(ActionKind::kCreate),
       created({{"ok state=Stopped", "starting | send start ray-1"}, {"rejected", "finish api"}})},
      {"Error", action(ActionKind::kCreate), created({{"ok state=Error", "finish api"}}),
       "cluster alpha (ray-1) is in state Error: boom"},
      {"gone while waiting", action(ActionKind::kCreate), created({{"not-found", "finish api"}}),
       "ray-1 disappeared while waiting"},
      {"the pause doubles to poll_max and stops at the deadline", action(ActionKind::kCreate),
       created({{"ok state=Starting at=0", "waiting | wait 500"},
                {"ok at=500", "send get ray-1"},
                {"ok state=Starting at=500", "waiting | wait 1000"},
                {"ok at=1500", "send get ray-1"},
                {"ok state=Starting at=1500", "waiting | wait 2000"},
                {"ok at=3500", "send get ray-1"},
                {"ok state=Starting at=9000", "waiting | wait 1000"},
                {"ok at=10000", "send get ray-1"},
                {"ok state=Starting at=10000", "waiting | finish network"}}),
       "timed out after 10s waiting for alpha (ray-1) to be Running (last state Starting)"},
      {"a failed poll is retried after poll_initial, under the last stage", action(ActionKind::kCreate),
       created({{"unknown", "created | wait 500"},
                {"ok", "send get ray-1"},
                {"unknown", "created | wait 500"},
                {"ok", "send get ray-1"},
                {"ok state=Running", "finish ok"}})},
      {"three failed polls in a row fail the wait", action(ActionKind::kCreate),
       created({{"unknown", "created | wait 500"},
                {"ok", "send get ray-1"},
                {"unknown", "created | wait 500"},
                {"ok", "send get ray-1"},
                {"unknown network", "finish network"}})},
      {"a rejected poll fails at once", action(ActionKind::kCreate), created({{"rejected", "finish api"}})},
      {"an unknown live state is waited on", action(ActionKind::kCreate),
       created({{"ok state=Provisioning", "waiting | wait 500"},
                {"ok", "send get ray-1"},
                {"ok state=Running", "finish ok"}})},
  };
  for (const auto& s : table) run(s, limits());
}

TEST_CASE("update and adopt") {
  const std::vector<Scenario> table = {
      {"update",
       action(ActionKind::kUpdate, "ray-1"),
       {{"begin", "updating | send update ray-1"},
        {"ok", "commit updated"},
        {"ok", "send get ray-1"},
        {"ok state=Running", "finish ok"}}},
      {"update of a cluster deleted outside provision",
       action(ActionKind::kUpdate, "ray-1"),
       {{"begin", "updating | send update ray-1"}, {"not-found", "finish api"}},
       "cluster ray-1 no longer exists",
       "",
       HintKind::kRefreshOrForget},
      {"update rejected",
       action(ActionKind::kUpdate, "ray-1"),
       {{"begin", "updating | send update ray-1"}, {"rejected", "finish api"}}},
      {"adopt by name, body unknown",
       adopt(false, false),
       {{"begin", "commit created ray-1 body-unknown"},
        {"ok", "adopted | send get ray-1"},
        {"ok state=Running", "finish ok"}}},
      {"adopt resolving a pending-create: the body sent is the one it has",
       adopt(false, true),
       {{"begin", "commit created ray-1"},
        {"ok", "adopted | send get ray-1"},
        {"ok state=Running", "finish ok"}}},
      {"adopt then update",
       adopt(true, true),
       {{"begin", "commit created ray-1 body-unknown"},
        {"ok", "adopted | updating | send update ray-1"},
        {"ok", "commit updated"},
        {"ok", "send get ray-1"},
        {"ok state=Running", "finish ok"}}},
      {"nothing to do for a kind that changes nothing",
       action(ActionKind::kNoChange),
       {{"begin", "finish ok"}}},
  };
  for (const auto& s : table) run(s, limits());
}

TEST_CASE("destroy: pending-delete first, Stop, wait for Stopped, Delete, confirm gone, forget") {
  const std::vector<Scenario> table = {
      {"a running cluster",
       action(ActionKind::kDelete, "ray-1"),
       {{"begin", "commit pending-delete ray-1 (existing)"},
        {"ok", "send get ray-1 (existing)"},
        {"ok state=Running", "stopping | send stop ray-1 instance=i-1 (existing)"},
        {"ok", "wait 500"},
        {"ok", "send get ray-1 (existing)"},
        {"ok state=Stopping", "waiting | wait 1000"},
        {"ok", "send get ray-1 (existing)"},
        {"ok state=Stopped", "deleting | send delete ray-1 (existing)"},
        {"ok", "confirming | send get ray-1 (existing)"},
        {"ok state=Stopped", "wait 500"},
        {"ok", "confirming | send get ray-1 (existing)"},
        {"not-found", "commit forget (existing)"},
        {"ok", "finish ok"}},
       "",
       "Deleted"},
      {"lost Stop and Delete answers are checked against the state, not resent blindly",
       action(ActionKind::kDelete, "ray-1"),
       {{"begin", "commit pending-delete ray-1 (existing)"},
        {"ok", "send get ray-1 (existing)"},
        {"ok state=Running", "stopping | send stop ray-1 instance=i-1 (existing)"},
        {"unknown", "checking | wait 500"},
        {"ok", "send get ray-1 (existing)"},
        {"ok state=Running", "stopping | send stop ray-1 instance=i-1 (existing)"},
        {"not-found", "wait 1000"},
        {"ok", "send get ray-1 (existing)"},
        {"ok state=Error", "deleting | send delete ray-1 (existing)"},
        {"unknown", "checking | wait 2000"},
        {"ok", "send get ray-1 (existing)"},
        {"not-found", "commit forget (existing)"},
        {"ok", "finish ok"}}},
      {"too many unknown outcomes",
       action(ActionKind::kDelete, "ray-1"),
       {{"begin", "commit pending-delete ray-1 (existing)"},
        {"ok", "send get ray-1 (existing)"},
        {"ok state=Stopped", "deleting | send delete ray-1 (existing)"},
        {"unknown", "checking | wait 500"},
        {"ok", "send get ray-1 (existing)"},
        {"ok state=Stopped", "deleting | send delete ray-1 (existing)"},
        {"unknown", "checking | wait 1000"},
        {"ok", "send get ray-1 (existing)"},
        {"ok state=Stopped", "deleting | send delete ray-1 (existing)"},
        {"unknown", "checking | wait 2000"},
        {"ok", "send get ray-1 (existing)"},
        {"ok state=Stopped", "deleting | send delete ray-1 (existing)"},
        {"unknown network", "finish network"}}},
      {"a rejected Stop fails",
       action(ActionKind::kDelete, "ray-1"),
       {{"begin", "commit pending-delete ray-1 (existing)"},
        {"ok", "send get ray-1 (existing)"},
        {"ok state=Running", "stopping | send stop ray-1 instance=i-1 (existing)"},
        {"rejected", "finish api"}}},
      {"already gone",
       action(ActionKind::kDelete, "ray-1"),
       {{"begin", "commit pending-delete ray-1 (existing)"},
        {"ok", "send get ray-1 (existing)"},
        {"not-found", "commit forget (existing)"},
        {"ok", "finish ok"}}},
      {"the Stop never takes: timed out",
       action(ActionKind::kDelete, "ray-1"),
       {{"begin", "commit pending-delete ray-1 (existing)"},
        {"ok at=0", "send get ray-1 (existing)"},
        {"ok state=Stopping at=10000", "waiting | finish network"}},
       "to be Stopped (last state Stopping)"},
      {"the cluster never goes: timed out confirming",
       action(ActionKind::kDelete, "ray-1"),
       {{"begin", "commit pending-delete ray-1 (existing)"},
        {"ok at=0", "send get ray-1 (existing)"},
        {"ok state=Stopped", "deleting | send delete ray-1 (existing)"},
        {"ok", "confirming | send get ray-1 (existing)"},
        {"ok state=Stopped at=10000", "finish network"}},
       "to be gone"},
      {"the pending-delete cannot be saved: nothing is sent",
       action(ActionKind::kDelete, "ray-1"),
       {{"begin", "commit pending-delete ray-1 (existing)"}, {"commit-failed", "finish state"}}},
      {"a pending create that never happened is forgotten",
       action(ActionKind::kDelete),
       {{"begin", "looking-up | send list (existing)"},
        {"ok matches=", "commit forget (existing)"},
        {"ok", "finish ok"}}},
      {"a pending create that did happen is destroyed",
       action(ActionKind::kDelete),
       {{"begin", "looking-up | send list (existing)"},
        {"ok matches=ray-7", "commit pending-delete ray-7 (existing)"},
        {"ok", "send get ray-7 (existing)"},
        {"not-found", "commit forget (existing)"},
        {"ok", "finish ok"}}},
      {"a pending create with several candidates",
       action(ActionKind::kDelete),
       {{"begin", "looking-up | send list (existing)"}, {"ok matches=ray-7,ray-8", "finish api"}},
       "2 clusters named 'alpha'",
       "",
       HintKind::kDeleteExtrasOrImport},
      {"replace: the old cluster goes, then the new one is created and waited for",
       replace_of("ray-old"),
       {{"begin", "commit pending-delete ray-old (existing)"},
        {"ok", "send get ray-old (existing)"},
        {"not-found", "commit forget (existing)"},
        {"ok", "commit pending-create"},
        {"ok", "creating | send create"},
        {"ok id=ray-new", "commit created ray-new"},
        {"ok", "created | send get ray-new"},
        {"ok state=Running", "finish ok"}}},
  };
  for (const auto& s : table) run(s, limits());
}

TEST_CASE("live states are read as the documented words, anything else is kOther") {
  CHECK(parse_live_state("Running") == LiveState::kRunning);
  CHECK(parse_live_state("Starting") == LiveState::kStarting);
  CHECK(parse_live_state("Stopping") == LiveState::kStopping);
  CHECK(parse_live_state("Stopped") == LiveState::kStopped);
  CHECK(parse_live_state("Error") == LiveState::kError);
  CHECK(parse_live_state("RUNNING") == LiveState::kOther);
  CHECK(parse_live_state("") == LiveState::kOther);
}

TEST_CASE("a finished machine answers an internal failure, never a request") {
  Machine m(action(ActionKind::kNoChange), limits());
  CHECK(describe(m.next(outcome("begin"))) == "finish ok");
  CHECK(describe(m.next(outcome("ok"))) == "finish other");
}

}  // namespace provision::engine::reconcile
