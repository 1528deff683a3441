// The refusal rules of apply --plan, one row per way a plan can go stale.
#include "cli/plan_staleness.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

using namespace provision;
using namespace provision::cli;

namespace {

const state::ClusterIdentity kAlpha{"cn-hangzhou", "w-1", "alpha"};
const state::ClusterIdentity kBeta{"cn-hangzhou", "w-1", "beta"};

SavedPlan saved_plan() {
  SavedPlan s;
  s.provenance.provision_version = "1.2.3";
  s.provenance.schema_sha256 = "schema";
  s.provenance.store = {"postgresql", "postgresql://ci@db/infra", "prod"};
  s.provenance.lineage = "lin-1";
  s.provenance.serial = 7;
  s.provenance.spec_files = {{"specs/alpha.yaml", "fa"}, {"specs/beta.yaml", "fb"}};
  s.body_sha256 = {{kAlpha, "ba"}, {kBeta, "bb"}};
  return s;
}

CurrentInputs same_as_plan() {
  CurrentInputs now;
  now.provision_version = "1.2.3";
  now.schema_sha256 = "schema";
  now.store = {"postgresql", "postgresql://ci@db/infra", "prod"};
  now.lineage = "lin-1";
  now.serial = 7;
  now.spec_files = {{"specs/alpha.yaml", "fa"}, {"specs/beta.yaml", "fb"}};
  now.body_sha256 = {{kAlpha, "ba"}, {kBeta, "bb"}};
  return now;
}

struct Row {
  const char* what;
  std::function<void(CurrentInputs&)> change;
  const char* refusal;  // a fragment of the one refusal expected; nullptr: accepted
  const char* note;     // a fragment of the one note expected; nullptr: none
};

}  // namespace

TEST_CASE("apply --plan refuses exactly the changes that make a plan stale, naming each") {
  const std::vector<Row> rows = {
      {"nothing changed", [](CurrentInputs&) {}, nullptr, nullptr},
      {"serial moved", [](CurrentInputs& n) { n.serial = 8; },
       "stale plan: the state changed since it was made; plan again (serial 7 is now 8)", nullptr},
      {"lineage differs", [](CurrentInputs& n) { n.lineage = "lin-2"; },
       "stale plan: the state changed since it was made; plan again (lineage lin-1 is now lin-2)", nullptr},
      {"another state name", [](CurrentInputs& n) { n.store.name = "staging"; },
       "the plan was made against the PostgreSQL state 'prod'", nullptr},
      {"another store",
       [](CurrentInputs& n) {
         n.store = {"local", ".provision/state.json", "default"};
       },
       "not the state file '.provision/state.json'", nullptr},
      {"spec file added",
       [](CurrentInputs& n) {
         n.spec_files.push_back({"specs/gamma.yaml", "fc"});
       },
       "spec file specs/gamma.yaml was added since the plan was made", nullptr},
      {"spec file removed", [](CurrentInputs& n) { n.spec_files.pop_back(); },
       "spec file specs/beta.yaml was removed since the plan was made", nullptr},
      {"body changed", [](CurrentInputs& n) { n.body_sha256[kBeta] = "other"; },
       "the body of cluster beta (workspace w-1, region cn-hangzhou) differs from the plan's", nullptr},
      {"cluster gone", [](CurrentInputs& n) { n.body_sha256.erase(kAlpha); },
       "cluster alpha (workspace w-1, region cn-hangzhou) is no longer in the specs", nullptr},
      {"cluster new",
       [](CurrentInputs& n) {
         n.body_sha256[{"cn-hangzhou", "w-1", "gamma"}] = "bg";
       },
       "cluster gamma (workspace w-1, region cn-hangzhou) is not in the plan", nullptr},
      {"other provision version", [](CurrentInputs& n) { n.provision_version = "1.3.0"; },
       "the plan was made by provision 1.2.3; this is provision 1.3.0", nullptr},
      {"other schema", [](CurrentInputs& n) { n.schema_sha256 = "new"; }, "another RayCluster schema",
       nullptr},
      {"comment edited, same bodies", [](CurrentInputs& n) { n.spec_files[0].sha256 = "fa2"; }, nullptr,
       "spec file specs/alpha.yaml changed since the plan was made, but its bodies did not"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.what);
    CurrentInputs now = same_as_plan();
    row.change(now);
    const StalenessReport r = check_saved_plan(saved_plan(), now);
    if (row.refusal) {
      REQUIRE(r.refusals.size() == 1);
      CHECK(r.refusals.front().find(row.refusal) != std::string::npos);
    } else {
      CHECK(r.refusals.empty());
    }
    CHECK(r.notes.size() == (row.note ? 1u : 0u));
    if (row.note && !r.notes.empty()) CHECK(r.notes.front().find(row.note) != std::string::npos);
  }
}

TEST_CASE("a plan of a never-saved state: any fresh lineage matches, and a first save makes it stale") {
  SavedPlan saved = saved_plan();
  saved.provenance.serial = 0;
  saved.provenance.lineage = "";
  CurrentInputs now = same_as_plan();
  now.serial = 0;
  now.lineage = "made-up-at-load";
  CHECK(check_saved_plan(saved, now).refusals.empty());
  now.serial = 1;
  const StalenessReport r = check_saved_plan(saved, now);
  REQUIRE(r.refusals.size() == 1);
  CHECK(r.refusals.front().find("(serial 0 is now 1)") != std::string::npos);
}

TEST_CASE("every difference is named at once, and a refused plan has no reassuring notes") {
  CurrentInputs now = same_as_plan();
  now.serial = 9;
  now.body_sha256[kAlpha] = "x";
  now.spec_files[0].sha256 = "fa2";
  const StalenessReport r = check_saved_plan(saved_plan(), now);
  CHECK(r.refusals.size() == 2);
  CHECK(r.notes.empty());
}
