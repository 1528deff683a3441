// Plan decisions from data: create / update / no change / delete with --prune,
// unmanaged and conflicting names, pending-create resolution, drift, replace.
#include "engine/plan.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

using namespace provision;
using namespace provision::engine;
using state::ClusterRecord;
using state::Phase;

namespace {

DesiredCluster desired(const std::string& name, const std::string& cpu = "2",
                       const std::string& file = "specs/a.yaml") {
  DesiredCluster d;
  d.identity = {"cn-hangzhou", "w-1", name};
  d.spec_file = file;
  d.redacted_body = {{"name", name}, {"headSpec", {{"cpu", cpu}, {"memory", "8Gi"}}}};
  d.body = boost::json::serialize(d.redacted_body);
  d.body_sha256 = std::string(63, '0') + (cpu == "2" ? "2" : "4");
  return d;
}

ClusterRecord record_for(const DesiredCluster& d, Phase phase, const std::string& id) {
  ClusterRecord r;
  r.identity = d.identity;
  r.cluster_id = id;
  r.body_sha256 = d.body_sha256;
  r.applied_body = d.redacted_body;
  r.phase = phase;
  r.spec_file = d.spec_file;
  r.created_at = r.updated_at = "2026-11-26T07:00:00Z";
  return r;
}

state::State state_with(std::initializer_list<ClusterRecord> records) {
  state::State s;
  s.lineage = "l";
  for (const auto& r : records) s.clusters[r.identity] = r;
  return s;
}

// Options with one flag set.
PlanOptions with(bool PlanOptions::*flag) {
  PlanOptions o;
  o.*flag = true;
  return o;
}

LiveCluster live(const std::string& id, const std::string& name, const std::string& cpu = "2") {
  LiveCluster c;
  c.cluster_id = id;
  c.name = name;
  c.state = "Running";
  c.raw = {
      {"clusterId", id}, {"name", name}, {"headSpec", {{"cpu", cpu}, {"memory", "8Gi"}, {"replica", 1}}}};
  return c;
}

const WorkspaceKey kWs{"cn-hangzhou", "w-1"};

}  // namespace

TEST_CASE("new specs are created, unchanged ones send nothing, changed ones update with a field diff") {
  auto a = desired("a");
  auto b = desired("b");
  Plan first = make_plan({a, b}, state_with({}), {"specs"}, {{kWs, {}}}, {});
  REQUIRE(first.actions.size() == 2);
  CHECK(first.actions[0].kind == ActionKind::kCreate);
  CHECK(first.actions[1].kind == ActionKind::kCreate);
  CHECK(first.has_changes());

  auto s = state_with({record_for(a, Phase::kCreated, "ray-a"), record_for(b, Phase::kCreated, "ray-b")});
  Plan rerun = make_plan({a, b}, s, {"specs"}, {}, {});
  CHECK(!rerun.has_changes());
  CHECK(workspaces_to_list({a, b}, s, {"specs"}, false).empty());

  auto b4 = desired("b", "4");
  Plan update = make_plan({a, b4}, s, {"specs"}, {}, {});
  CHECK(update.actions[0].kind == ActionKind::kNoChange);
  REQUIRE(update.actions[1].kind == ActionKind::kUpdate);
  CHECK(update.actions[1].cluster_id == "ray-b");
  REQUIRE(update.actions[1].diff.size() == 1);
  CHECK(update.actions[1].diff[0] == FieldChange{"/headSpec/cpu", "\"2\"", "\"4\""});
}

TEST_CASE("a name that already exists is unmanaged, or adopted with --adopt, several are a conflict") {
  auto a = desired("a");
  Plan p = make_plan({a}, state_with({}), {}, {{kWs, {live("ray-x", "a")}}}, {});
  REQUIRE(p.actions[0].kind == ActionKind::kUnmanaged);
  CHECK(p.has_blocked());
  // The advice (import it, or adopt it) is a hint with its parts; the CLI words it.
  CHECK(p.actions[0].hint.kind == HintKind::kImportOrAdopt);
  CHECK(p.actions[0].hint.name == "a");
  CHECK(p.actions[0].hint.cluster_id == "ray-x");
  CHECK(p.actions[0].hint.spec_file == "specs/a.yaml");

  const PlanOptions adopt = with(&PlanOptions::adopt);
  Plan q = make_plan({a}, state_with({}), {}, {{kWs, {live("ray-x", "a")}}}, adopt);
  CHECK(q.actions[0].kind == ActionKind::kAdopt);
  CHECK(q.actions[0].cluster_id == "ray-x");

  Plan c = make_plan({a}, state_with({}), {},
                     {{kWs, {live("ray-x", "a"), live("ray-y", "other"), live("ray-z", "a")}}}, adopt);
  REQUIRE(c.actions[0].kind == ActionKind::kConflict);
  CHECK(c.actions[0].candidates == std::vector<std::string>{"ray-x", "ray-z"});
}

TEST_CASE("a pending-create is adopted on one match, created on none, reported on several") {
  auto a = desired("a");
  auto s = state_with({record_for(a, Phase::kPendingCreate, "")});
  CHECK(workspaces_to_list({a}, s, {}, false) == std::vector<WorkspaceKey>{kWs});
  Plan one = make_plan({a}, s, {}, {{kWs, {live("ray-x", "a")}}}, {});
  CHECK(one.actions[0].kind == ActionKind::kAdopt);
  CHECK(one.actions[0].resolves_pending_create);
  CHECK(!one.actions[0].update_after_adopt);
  Plan none = make_plan({a}, s, {}, {{kWs, {live("ray-q", "b")}}}, {});
  CHECK(none.actions[0].kind == ActionKind::kCreate);
  Plan several = make_plan({a}, s, {}, {{kWs, {live("ray-x", "a"), live("ray-z", "a")}}}, {});
  CHECK(several.actions[0].kind == ActionKind::kConflict);
}

TEST_CASE("refresh finds clusters deleted or changed outside provision") {
  auto a = desired("a");
  auto s = state_with({record_for(a, Phase::kCreated, "ray-a")});
  CHECK(workspaces_to_list({a}, s, {}, true) == std::vector<WorkspaceKey>{kWs});
  Plan gone = make_plan({a}, s, {}, {{kWs, {}}}, {});
  CHECK(gone.actions[0].kind == ActionKind::kCreate);
  CHECK(gone.actions[0].drift);
  CHECK(gone.actions[0].note.find("deleted outside provision") != std::string::npos);
  Plan changed = make_plan({a}, s, {}, {{kWs, {live("ray-a", "a", "8")}}}, {});
  REQUIRE(changed.actions[0].kind == ActionKind::kUpdate);
  CHECK(changed.actions[0].drift);
  CHECK(changed.actions[0].diff[0] == FieldChange{"/headSpec/cpu", "\"8\"", "\"2\""});
  Plan same = make_plan({a}, s, {}, {{kWs, {live("ray-a", "a")}}}, {});
  CHECK(same.actions[0].kind == ActionKind::kNoChange);
}

TEST_CASE("a spec that is gone is kept, or deleted with --prune, only within the paths given") {
  auto a = desired("a");
  auto b = desired("b", "2", "specs/b.yaml");
  auto other = desired("o", "2", "elsewhere/o.yaml");
  auto s = state_with({record_for(a, Phase::kCreated, "ray-a"), record_for(b, Phase::kCreated, "ray-b"),
                       record_for(other, Phase::kCreated, "ray-o")});
  Plan kept = make_plan({a}, s, {"specs/"}, {}, {});
  REQUIRE(kept.actions.size() == 2);
  CHECK(kept.actions[1].kind == ActionKind::kNotInSpecs);
  CHECK(!kept.has_changes());
  CHECK(kept.actions[1].hint.kind == HintKind::kPruneToDelete);
  Plan pruned = make_plan({a}, s, {"./specs"}, {}, with(&PlanOptions::prune));
  REQUIRE(pruned.actions.size() == 2);
  CHECK(pruned.actions[1].kind == ActionKind::kDelete);
  CHECK(pruned.actions[1].cluster_id == "ray-b");
  CHECK(pruned.actions[1].hint.kind == HintKind::kPruned);
}

TEST_CASE("an identity change is refused unless --allow-replace") {
  auto old_a = desired("a");
  auto renamed = desired("a2");
  auto s = state_with({record_for(old_a, Phase::kCreated, "ray-a")});
  Plan refused = make_plan({renamed}, s, {"specs"}, {{kWs, {live("ray-a", "a")}}}, {});
  REQUIRE(refused.actions.size() == 1);
  CHECK(refused.actions[0].kind == ActionKind::kRefusedReplace);
  CHECK(refused.actions[0].hint.kind == HintKind::kAllowReplace);
  CHECK(refused.actions[0].hint.cluster_id == "ray-a");
  Plan replace =
      make_plan({renamed}, s, {"specs"}, {{kWs, {live("ray-a", "a")}}}, with(&PlanOptions::allow_replace));
  REQUIRE(replace.actions[0].kind == ActionKind::kReplace);
  CHECK(replace.actions[0].replaced_cluster_id == "ray-a");
}

TEST_CASE("body diffs list added, removed and changed leaves") {
  boost::json::object before{{"a", 1}, {"w", boost::json::array{{{"r", 1}}}}, {"gone", "x"}};
  boost::json::object after{{"a", 1}, {"w", boost::json::array{{{"r", 2}}, {{"r", 3}}}}, {"new", true}};
  auto d = diff_bodies(before, after);
  REQUIRE(d.size() == 4);
  CHECK(d[0] == FieldChange{"/gone", "\"x\"", std::nullopt});
  CHECK(d[1] == FieldChange{"/new", std::nullopt, "true"});
  CHECK(d[2] == FieldChange{"/w/0/r", "1", "2"});
  CHECK(d[3] == FieldChange{"/w/1/r", std::nullopt, "3"});
}

TEST_CASE("scope: files and folders as typed, and records without a spec file") {
  CHECK(in_scope("specs/a.yaml", {"specs"}));
  CHECK(in_scope("specs/a.yaml", {"./specs/"}));
  CHECK(in_scope("specs/sub/a.yaml", {"specs"}));
  CHECK(!in_scope("specs2/a.yaml", {"specs"}));
  CHECK(in_scope("specs/a.yaml", {"specs/a.yaml"}));
  CHECK(!in_scope("", {"specs"}));
  CHECK(in_scope("", {}));
}

TEST_CASE("destroy deletes managed clusters in scope and ignores specs the state does not know") {
  auto a = desired("a");
  auto b = desired("b");
  auto s = state_with({record_for(a, Phase::kCreated, "ray-a")});
  Plan p = make_destroy_plan({a, b}, s, {"specs"});
  REQUIRE(p.actions.size() == 2);
  CHECK(p.actions[0].kind == ActionKind::kDelete);
  CHECK(p.actions[1].kind == ActionKind::kNoChange);
}

TEST_CASE("plan notes state facts and never name a provision command or option") {
  auto a = desired("a");
  auto b = desired("b", "2", "specs/b.yaml");
  auto renamed = desired("a2");
  const auto s =
      state_with({record_for(a, Phase::kCreated, "ray-a"), record_for(b, Phase::kCreated, "ray-b")});
  const LiveClusters taken{{kWs, {live("ray-x", "c")}}};
  const LiveClusters twice{{kWs, {live("ray-x", "c"), live("ray-y", "c")}}};
  const std::vector<Plan> plans = {
      make_plan({desired("c")}, state_with({}), {}, taken, {}),               // unmanaged
      make_plan({desired("c")}, state_with({}), {}, twice, {}),               // conflict
      make_plan({renamed}, s, {"specs"}, {{kWs, {live("ray-a", "a")}}}, {}),  // refused replace
      make_plan({a}, s, {"specs"}, {}, {}),                                   // spec gone, kept
      make_plan({a}, s, {"specs"}, {}, with(&PlanOptions::prune)),            // spec gone, pruned
      make_plan({a}, s, {}, {{kWs, {}}}, {}),                                 // deleted outside
  };
  std::size_t notes = 0;
  for (const auto& plan : plans)
    for (const auto& action : plan.actions) {
      if (action.note.empty()) continue;
      ++notes;
      CHECK_MESSAGE(action.note.find("'provision ") == std::string::npos, action.note);
      CHECK_MESSAGE(action.note.find("--") == std::string::npos, action.note);
    }
  CHECK(notes >= plans.size());
}
