// apply / plan / destroy / status through the real binaries: several clusters
// created, a rerun that sends nothing, an update, a destroy, --detailed-exitcode.
#include <doctest/doctest.h>

#include "provision_fixture.hpp"

using provision::test::EmulatedCloud;
using provision::test::read_file;

TEST_CASE("apply creates several clusters, a rerun sends zero requests, update and destroy") {
  EmulatedCloud cloud;
  cloud.spec("alpha");
  cloud.spec("beta");
  cloud.spec("gamma", 2);

  auto plan = cloud.provision({"plan", "specs", "--detailed-exitcode"});
  CHECK(plan.exit_code == 2);
  CHECK(plan.out.find("+ create  alpha") != std::string::npos);
  CHECK(plan.out.find("Plan: 3 to create, 0 to update, 0 to delete, 0 unchanged.") != std::string::npos);

  const std::size_t lists_by_plan = cloud.requests("ListRayCluster");
  CHECK(lists_by_plan == 1);
  auto first = cloud.provision({"apply", "specs", "--auto-approve", "--parallelism", "2"});
  INFO(first.out, first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(first.out.find("Apply complete: 3 created, 0 updated, 0 deleted, 0 failed.") != std::string::npos);
  CHECK(cloud.requests("CreateRayCluster") == 3);
  CHECK(cloud.requests("ListRayCluster") == lists_by_plan + 1);  // one workspace, listed once for all three
  // The first save wrote the snapshot, the later ones appended to the journal.
  const std::string state = read_file(cloud.dir() / ".provision/state.json") +
                            read_file(cloud.dir() / ".provision/state.json.journal");
  CHECK(state.find("\"phase\":\"created\"") != std::string::npos);
  CHECK(state.find("demo-access-key-secret") == std::string::npos);

  const std::size_t before = cloud.requests();
  auto rerun = cloud.provision({"apply", "specs", "--auto-approve"});
  CHECK(rerun.exit_code == 0);
  CHECK(rerun.out.find("No changes") != std::string::npos);
  CHECK(cloud.requests() == before);  // zero requests
  CHECK(cloud.provision({"plan", "specs", "--detailed-exitcode"}).exit_code == 0);
  CHECK(cloud.requests() == before);

  auto status = cloud.provision({"status"});
  CHECK(status.exit_code == 0);
  CHECK(status.out.find("3 clusters, 3 running.") != std::string::npos);
  CHECK(cloud.requests() == before + 1);  // status: one listing, no Get per cluster

  cloud.spec("gamma", 3);
  auto diff = cloud.provision({"plan", "specs", "--detailed-exitcode"});
  CHECK(diff.exit_code == 2);
  CHECK(diff.out.find("~ update  gamma") != std::string::npos);
  CHECK(diff.out.find("/workerSpec/0/replica: 2 -> 3") != std::string::npos);
  auto update = cloud.provision({"apply", "specs", "--auto-approve", "--output", "json"});
  CHECK(update.exit_code == 0);
  CHECK(update.out.find("\"type\":\"summary\",\"command\":\"apply\",\"ok\":true") != std::string::npos);
  CHECK(cloud.requests("UpdateRayCluster") == 1);
  CHECK(cloud.requests("CreateRayCluster") == 3);

  auto destroy = cloud.provision({"destroy", "specs/beta.yaml", "--auto-approve"});
  INFO(destroy.out, destroy.err);
  CHECK(destroy.exit_code == 0);
  CHECK(destroy.out.find("Destroy complete: 1 destroyed, 0 failed.") != std::string::npos);
  CHECK(cloud.requests("StopRayCluster") == 1);
  CHECK(cloud.requests("DeleteRayCluster") == 1);
  auto listed = cloud.provision({"state", "list"});
  CHECK(listed.out.find("beta") == std::string::npos);
  CHECK(listed.out.find("alpha") != std::string::npos);
  auto replan = cloud.provision({"plan", "specs", "--detailed-exitcode"});
  CHECK(replan.exit_code == 2);
  CHECK(replan.out.find("+ create  beta") != std::string::npos);
}

TEST_CASE("apply and destroy need --auto-approve off a terminal, 'yes' is not read from a pipe") {
  EmulatedCloud cloud;
  cloud.spec("alpha");
  auto refused = cloud.provision({"apply", "specs"}, "yes\n");
  CHECK(refused.exit_code == 3);
  CHECK(refused.err.find("--auto-approve") != std::string::npos);
  CHECK(cloud.requests() == 0);
  CHECK(cloud.provision({"destroy", "specs"}).exit_code == 3);
}

TEST_CASE("plan --detailed-exitcode: 0 no changes, 2 changes, 1 for any error") {
  EmulatedCloud cloud;
  cloud.spec("alpha");
  CHECK(cloud.provision({"plan", "specs", "--detailed-exitcode"}).exit_code == 2);
  REQUIRE(cloud.provision({"apply", "specs", "--auto-approve"}).exit_code == 0);
  CHECK(cloud.provision({"plan", "specs", "--detailed-exitcode"}).exit_code == 0);
  CHECK(cloud.provision({"plan", "specs", "--refresh", "--detailed-exitcode"}).exit_code == 0);
  cloud.dir().write("specs/bad.yaml", "apiVersion: provision/v1\nkind: RayCluster\nmetadata: {}\n");
  CHECK(cloud.provision({"plan", "specs", "--detailed-exitcode"}).exit_code == 1);
  CHECK(cloud.provision({"plan", "specs"}).exit_code == 4);
  std::filesystem::remove(cloud.dir() / "specs/bad.yaml");
  cloud.dir().write(".provision/state.json", "{\"formatVersion\": 1, \"serial\": 1");
  auto corrupt = cloud.provision({"plan", "specs", "--detailed-exitcode"});
  CHECK(corrupt.exit_code == 1);
  CHECK(corrupt.err.find("cannot be used") != std::string::npos);
}

TEST_CASE("an identity change is refused unless --allow-replace, which deletes then creates") {
  EmulatedCloud cloud;
  cloud.spec("alpha", 1, "cn-hangzhou", "main");
  REQUIRE(cloud.provision({"apply", "specs", "--auto-approve"}).exit_code == 0);
  cloud.spec("alpha-renamed", 1, "cn-hangzhou", "main");
  auto plan = cloud.provision({"plan", "specs", "--detailed-exitcode"});
  CHECK(plan.exit_code == 1);
  CHECK(plan.out.find("! refused-replace  alpha-renamed") != std::string::npos);
  auto refused = cloud.provision({"apply", "specs", "--auto-approve"});
  CHECK(refused.exit_code == 6);
  CHECK(refused.out.find("--allow-replace") != std::string::npos);
  CHECK(cloud.requests("DeleteRayCluster") == 0);
  auto replaced = cloud.provision({"apply", "specs", "--auto-approve", "--allow-replace"});
  INFO(replaced.out, replaced.err);
  CHECK(replaced.exit_code == 0);
  CHECK(cloud.requests("DeleteRayCluster") == 1);
  CHECK(cloud.requests("CreateRayCluster") == 2);
  auto listed = cloud.provision({"state", "list"});
  CHECK(listed.out.find("alpha-renamed") != std::string::npos);
  CHECK(listed.out.find("alpha ") == std::string::npos);
}

TEST_CASE("--no-wait returns without polling, --timeout bounds the wait") {
  EmulatedCloud cloud({"--start-delay", "60"});
  cloud.spec("alpha");
  auto no_wait = cloud.provision({"apply", "specs", "--auto-approve", "--no-wait"});
  CHECK(no_wait.exit_code == 0);
  CHECK(cloud.requests("GetRayCluster") == 0);
  cloud.spec("beta");
  auto timed_out = cloud.provision({"apply", "specs", "--auto-approve", "--timeout", "1s"});
  CHECK(timed_out.exit_code == 7);
  CHECK(timed_out.out.find("timed out after 1s waiting for beta") != std::string::npos);
  CHECK(timed_out.out.find("(last state Starting)") != std::string::npos);
  // The cluster was created and recorded even though the wait failed: no duplicate later.
  CHECK(cloud.provision({"plan", "specs", "--detailed-exitcode"}).exit_code == 0);
}

TEST_CASE("status and state list speak JSON lines") {
  EmulatedCloud cloud;
  cloud.spec("alpha");
  REQUIRE(cloud.provision({"apply", "specs", "--auto-approve"}).exit_code == 0);
  auto status = cloud.provision({"status", "--output", "json"});
  CHECK(status.exit_code == 0);
  CHECK(status.out.find("{\"type\":\"cluster\",\"name\":\"alpha\"") == 0);
  CHECK(status.out.find("\"state\":\"Running\"") != std::string::npos);
  CHECK(status.out.find("{\"type\":\"summary\",\"clusters\":1,\"running\":1}") != std::string::npos);
  auto not_created = cloud.provision({"status", "specs"});
  CHECK(not_created.out.find("alpha") != std::string::npos);
}

TEST_CASE("--parallelism 1 works on one cluster at a time") {
  EmulatedCloud cloud;
  cloud.spec("alpha");
  cloud.spec("beta");
  REQUIRE(cloud.provision({"apply", "specs", "--auto-approve", "--parallelism", "1"}).exit_code == 0);
  REQUIRE(cloud.requests("CreateRayCluster") == 2);
  // The second Create comes only after the first cluster was seen Running (a Get).
  const std::string log = read_file(cloud.access_log());
  const auto first_create = log.find("\"action\":\"CreateRayCluster\"");
  const auto second_create = log.find("\"action\":\"CreateRayCluster\"", first_create + 1);
  const auto get_between = log.find("\"action\":\"GetRayCluster\"", first_create);
  CHECK(get_between < second_create);
  CHECK(cloud.provision({"apply", "specs", "--parallelism", "0", "--auto-approve"}).exit_code == 3);
}

TEST_CASE("a replace that moves a cluster to another workspace deletes the old one where it lives") {
  EmulatedCloud cloud;
  const std::string path = cloud.spec("alpha");
  REQUIRE(cloud.provision({"apply", "specs", "--auto-approve"}).exit_code == 0);
  std::string moved = read_file(cloud.dir() / path);
  moved.replace(moved.find("workspaceId: w-it"), 17, "workspaceId: w-new");
  std::ofstream(cloud.dir() / path) << moved;
  auto replaced = cloud.provision({"apply", "specs", "--auto-approve", "--allow-replace"});
  INFO(replaced.out, replaced.err);
  CHECK(replaced.exit_code == 0);
  REQUIRE(cloud.requests("DeleteRayCluster") == 1);
  const std::string log = read_file(cloud.access_log());
  const auto deleted = log.find("\"action\":\"DeleteRayCluster\"");
  const auto line_start = log.rfind('\n', deleted) + 1;
  const std::string line = log.substr(line_start, log.find('\n', deleted) - line_start);
  CHECK_MESSAGE(line.find("/workspaces/w-it/") != std::string::npos, line);
  auto listed = cloud.provision({"state", "list"});
  CHECK(listed.out.find("w-new") != std::string::npos);
  CHECK(listed.out.find("w-it") == std::string::npos);
}
