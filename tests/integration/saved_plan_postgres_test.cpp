// The GitOps flow on the team's shared PostgreSQL state: plan --out in one working copy,
// apply --plan in another, the password never in the plan (given in PGPASSWORD or in the
// URI alike), and a stale plan refused. Skipped when PostgreSQL is not installed.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "provision_fixture.hpp"
#include "support/postgres_server.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using namespace provision::test;
namespace json = boost::json;

namespace {

std::string spec(const std::string& name) {
  return "apiVersion: provision/v1\nkind: RayCluster\nmetadata: {name: " + name +
         ", workspaceId: w-it, regionId: cn-hangzhou}\nspec:\n"
         "  displayReleaseVersion: \"ray-1.0.0 (Ray 2.47.1, Python 3.12)\"\n"
         "  headSpec: {queueName: root_queue, cpu: 2, memory: 8Gi}\n"
         "  workerSpec:\n    - {groupName: g1, workerType: CPU, replica: 1, queueName: root_queue, cpu: 4, "
         "memory: 16Gi}\n";
}

RunResult provision_in(const EmulatedCloud& cloud, const PostgresServer& pg, const TempDir& copy,
                       const std::string& state, std::vector<std::string> args, bool with_pgpassword = true) {
  std::vector<std::string> argv{PROVISION_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  for (const auto& a : cloud.endpoint_args()) argv.push_back(a);
  RunOptions o = cloud.options();
  o.cwd = copy.path().string();
  o.env["PROVISION_STATE"] = state;
  if (with_pgpassword) o.env["PGPASSWORD"] = pg.password();
  o.unset_env.push_back("PGPASSFILE");
  return run(argv, o);
}

}  // namespace

TEST_CASE("saved plans on a shared PostgreSQL state: applied once elsewhere, no password in the plan") {
  PostgresServer pg;
  EmulatedCloud cloud;
  TempDir pr, merged, other;
  for (const TempDir* copy : {&pr, &merged, &other}) copy->write("specs/alpha.yaml", spec("alpha"));

  // The password in the URI this time: the plan must record the URI without it.
  auto plan =
      provision_in(cloud, pg, pr, pg.uri_with_password(), {"plan", "specs", "--out", "plan.json"}, false);
  INFO(plan.out << plan.err);
  REQUIRE(plan.exit_code == 0);
  const std::string saved = read_file(pr / "plan.json");
  CHECK(saved.find(pg.password()) == std::string::npos);
  CHECK(saved.find("Pg-Pw") == std::string::npos);
  const json::value doc = json::parse(saved);
  CHECK(doc.at("state").at("kind") == "postgresql");
  CHECK(std::string(doc.at("state").at("location").as_string()) == pg.uri());
  CHECK(doc.at("state").at("name") == "default");

  // Another copy, the password from PGPASSWORD: the same state, so the plan applies.
  merged.write("plan.json", saved);
  other.write("plan.json", saved);
  auto apply = provision_in(cloud, pg, merged, pg.uri(), {"apply", "--plan", "plan.json", "--no-wait"});
  INFO(apply.out << apply.err);
  CHECK(apply.exit_code == 0);
  CHECK(cloud.requests("CreateRayCluster") == 1);

  const std::size_t sent = cloud.requests();
  auto stale = provision_in(cloud, pg, other, pg.uri(), {"apply", "--plan", "plan.json", "--no-wait"});
  CHECK(stale.exit_code == 1);
  CHECK(stale.err.find("stale plan: the state changed since it was made; plan again") != std::string::npos);
  CHECK(cloud.requests() == sent);

  // Another state in the same database is another state.
  auto elsewhere =
      provision_in(cloud, pg, other, pg.uri(), {"apply", "--plan", "plan.json", "--state-name", "staging"});
  CHECK(elsewhere.exit_code == 1);
  CHECK(elsewhere.err.find("the plan was made against the PostgreSQL state 'default'") != std::string::npos);
  CHECK(cloud.requests() == sent);
}
