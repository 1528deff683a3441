// The plan document: what it holds, that it reads back to the same plan, that a body is
// only a hash and a redacted copy, and that damaged or unknown documents are refused.
#include "cli/plan_json.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <functional>

#include "cli/hint_text.hpp"
#include "core/error.hpp"

using namespace provision;
using namespace provision::engine;
namespace json = boost::json;

namespace {

DesiredCluster make_desired(const std::string& name, const std::string& sha) {
  DesiredCluster d;
  d.identity = {"cn-hangzhou", "w-1", name};
  d.spec_file = "specs/" + name + ".yaml";
  d.body = R"({"name":")" + name + R"(","gftConfig":{"redisPassword":"hunter2-secret"}})";
  d.body_sha256 = sha;
  d.redacted_body =
      json::parse(R"({"name":")" + name + R"(","gftConfig":{"redisPassword":"***"}})").as_object();
  return d;
}

struct Sample {
  std::vector<DesiredCluster> desired{make_desired("alpha", "sha-a"), make_desired("beta", "sha-b"),
                                      make_desired("gamma", "sha-g")};
  Plan plan;
  cli::PlanProvenance provenance;
  Sample() {
    PlannedAction create;
    create.kind = ActionKind::kCreate;
    create.identity = desired[0].identity;
    create.spec_file = desired[0].spec_file;
    create.desired = desired[0];
    PlannedAction update;
    update.kind = ActionKind::kUpdate;
    update.identity = desired[1].identity;
    update.cluster_id = "ray-b";
    update.desired = desired[1];
    update.diff = {{"/workerSpec/0/replica", "2", "3"}, {"/description", std::nullopt, "\"new\""}};
    PlannedAction same;
    same.kind = ActionKind::kNoChange;
    same.identity = desired[2].identity;
    same.cluster_id = "ray-g";
    PlannedAction gone;
    gone.kind = ActionKind::kDelete;
    gone.identity = {"cn-hangzhou", "w-1", "old"};
    gone.cluster_id = "ray-o";
    gone.note = "its spec is gone";
    gone.hint = hint_of(HintKind::kPruned);
    plan.actions = {create, update, same, gone};
    provenance.provision_version = "9.9.9";
    provenance.schema_sha256 = "schema-sha";
    provenance.store = {"local", "state.json", "default"};
    provenance.lineage = "lin";
    provenance.serial = 4;
    provenance.paths = {"specs"};
    provenance.spec_files = {{"specs/alpha.yaml", "f1"}};
    provenance.options.prune = true;
  }
};

}  // namespace

TEST_CASE("plan document: format, summary, one entry per action, bodies as hash + redacted copy") {
  Sample s;
  const json::object doc = cli::plan_document(s.plan, s.desired, s.provenance);
  CHECK(doc.at("format_version") == 1);
  CHECK(doc.at("summary") == json::parse(R"({"create":1,"update":1,"delete":1,"replace":0,"adopt":0,
      "noChange":1,"notInSpecs":0,"blocked":0,"changes":true})"));
  const json::array& actions = doc.at("actions").as_array();
  REQUIRE(actions.size() == 4);
  CHECK(actions[0].at("body") ==
        json::parse(R"({"sha256":"sha-a","redacted":{"name":"alpha","gftConfig":{"redisPassword":"***"}}})"));
  CHECK(actions[1].at("changes") == json::parse(R"([{"pointer":"/workerSpec/0/replica","before":2,"after":3},
      {"pointer":"/description","before":null,"after":"new"}])"));
  CHECK(actions[2].at("body") == json::parse(R"({"sha256":"sha-g"})"));  // no copy: nothing is sent
  CHECK_FALSE(actions[3].as_object().contains("body"));
  CHECK(actions[3].at("note") == "its spec is gone (--prune)");  // saved as users read it
  CHECK(
      doc.at("state") ==
      json::parse(R"({"kind":"local","location":"state.json","name":"default","lineage":"lin","serial":4})"));
  CHECK(json::serialize(doc).find("hunter2") == std::string::npos);
}

TEST_CASE("plan document reads back to the same actions, provenance and body hashes") {
  Sample s;
  const cli::SavedPlan back = cli::read_plan_document(cli::plan_document(s.plan, s.desired, s.provenance));
  REQUIRE(back.plan.actions.size() == s.plan.actions.size());
  for (std::size_t i = 0; i < s.plan.actions.size(); ++i) {
    CAPTURE(i);
    CHECK(back.plan.actions[i].kind == s.plan.actions[i].kind);
    CHECK(back.plan.actions[i].identity == s.plan.actions[i].identity);
    CHECK(back.plan.actions[i].cluster_id == s.plan.actions[i].cluster_id);
    CHECK(back.plan.actions[i].diff == s.plan.actions[i].diff);
    CHECK(back.plan.actions[i].note == cli::note_text(s.plan.actions[i]));
  }
  CHECK(back.provenance.serial == 4);
  CHECK(back.provenance.lineage == "lin");
  CHECK(back.provenance.options.prune);
  CHECK(back.provenance.spec_files == s.provenance.spec_files);
  CHECK(back.body_sha256.size() == 3);
  CHECK(back.body_sha256.at(s.desired[1].identity) == "sha-b");
}

TEST_CASE("damaged or unknown plan documents are refused with the field named") {
  Sample s;
  const json::object good = cli::plan_document(s.plan, s.desired, s.provenance);
  struct Row {
    const char* what;
    std::function<void(json::object&)> damage;
    const char* message;
  };
  const std::vector<Row> rows = {
      {"newer format", [](json::object& d) { d["format_version"] = 2; }, "unknown format_version 2"},
      {"format missing", [](json::object& d) { d.erase("format_version"); }, "format_version"},
      {"serial as text", [](json::object& d) { d["state"].as_object()["serial"] = "4"; },
       "/state/serial: expected a whole number"},
      {"unknown action", [](json::object& d) { d["actions"].as_array()[0].as_object()["action"] = "nuke"; },
       "/actions/0: unknown action 'nuke'"},
      {"identity missing", [](json::object& d) { d["actions"].as_array()[1].as_object().erase("identity"); },
       "/actions/1/identity: missing"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.what);
    json::object doc = good;
    row.damage(doc);
    try {
      cli::read_plan_document(doc);
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(std::string(e.what()).find(row.message) != std::string::npos);
      CHECK(e.kind() == ErrorKind::kUsage);
    }
  }
}
