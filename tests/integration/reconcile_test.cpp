// The create-pending protocol and drift through the real binaries: a lost Create
// response adopted by name, a pending-create left by a crash adopted, several
// clusters with one name reported (never a guess), unmanaged names refused or
// adopted, clusters deleted or changed behind provision's back.
#include <doctest/doctest.h>

#include <boost/crc.hpp>
#include <boost/json.hpp>
#include <cstdio>

#include "provision_fixture.hpp"

using provision::test::EmulatedCloud;
using provision::test::read_file;
namespace json = boost::json;

namespace {

// A state file with one pending-create record, written from doc/state-format.md
// (independently of src/state), as a crash right after saving it would leave it.
void write_pending_create_state(const EmulatedCloud& cloud, const std::string& file, const std::string& name,
                                const std::string& region = "cn-hangzhou") {
  json::object record{{"regionId", region},
                      {"workspaceId", "w-it"},
                      {"name", name},
                      {"clusterId", ""},
                      {"bodySha256", ""},
                      {"appliedBody", json::object{}},
                      {"phase", "pending-create"},
                      {"specFile", "specs/" + name + ".yaml"},
                      {"createdAt", "2026-11-26T07:00:00Z"},
                      {"updatedAt", "2026-11-26T07:00:00Z"}};
  json::object document{{"formatVersion", 1},
                        {"serial", 1},
                        {"lineage", "00000000-0000-4000-8000-000000000001"},
                        {"clusters", json::array{record}}};
  const std::string compact = json::serialize(document);
  boost::crc_32_type crc;
  crc.process_bytes(compact.data(), compact.size());
  char checksum[32];
  std::snprintf(checksum, sizeof checksum, "crc32:%08x", static_cast<unsigned>(crc.checksum()));
  document["checksum"] = checksum;
  cloud.dir().write(file, json::serialize(document));
}

std::string cluster_id_in(const EmulatedCloud& cloud, const std::string& state_file,
                          const std::string& name) {
  auto r = cloud.provision({"state", "show", name, "--state", state_file, "--output", "json"});
  REQUIRE(r.exit_code == 0);
  return std::string(json::parse(r.out).at("clusterId").as_string());
}

}  // namespace

TEST_CASE("a pending-create left by a crash is adopted by name, not created again") {
  EmulatedCloud cloud;
  cloud.spec("alpha");
  REQUIRE(cloud.provision({"apply", "specs", "--auto-approve", "--state", "first.json"}).exit_code == 0);
  const std::string id = cluster_id_in(cloud, "first.json", "alpha");
  write_pending_create_state(cloud, "crashed.json", "alpha");
  auto plan = cloud.provision({"plan", "specs", "--state", "crashed.json"});
  CHECK(plan.out.find("<= adopt  alpha") != std::string::npos);
  CHECK(plan.out.find("a create from an earlier run succeeded: adopt " + id) != std::string::npos);
  auto apply = cloud.provision({"apply", "specs", "--auto-approve", "--state", "crashed.json"});
  INFO(apply.out, apply.err);
  CHECK(apply.exit_code == 0);
  CHECK(cloud.requests("CreateRayCluster") == 1);
  CHECK(cluster_id_in(cloud, "crashed.json", "alpha") == id);
}

TEST_CASE("a pending-create whose cluster never appeared is created once") {
  EmulatedCloud cloud;
  cloud.spec("alpha");
  write_pending_create_state(cloud, "crashed.json", "alpha");
  auto apply = cloud.provision({"apply", "specs", "--auto-approve", "--state", "crashed.json"});
  CHECK(apply.exit_code == 0);
  CHECK(cloud.requests("CreateRayCluster") == 1);
  CHECK(!cluster_id_in(cloud, "crashed.json", "alpha").empty());
}

TEST_CASE("a lost Create response is resolved by listing, never by a second Create") {
  // Seed 7 drops the first CreateRayCluster's answer after the cluster was made (and
  // some Lists and Gets, which are retried).
  EmulatedCloud cloud({"--fault-rate", "0.5", "--faults", "drop-after-commit", "--seed", "7"});
  cloud.spec("alpha");
  auto apply = cloud.provision({"apply", "specs", "--auto-approve"});
  INFO(apply.out, apply.err);
  CHECK(apply.exit_code == 0);
  const std::string log = read_file(cloud.access_log());
  REQUIRE(log.find("\"action\":\"CreateRayCluster\"") != std::string::npos);
  CHECK(log.find("\"CreateRayCluster\",\"method\":\"POST\"") != std::string::npos);
  CHECK(cloud.requests("CreateRayCluster") == 1);
  CHECK(apply.out.find("looking-up") != std::string::npos);
  CHECK(apply.out.find("the create had succeeded: adopted ray-") != std::string::npos);
}

TEST_CASE("two clusters with one name: plan and apply report both ids and create nothing") {
  EmulatedCloud cloud;
  // The same workspace reached as two regions (the emulator serves both) makes two
  // clusters named 'dup' in one workspace, as a console user could.
  cloud.spec("dup", 1, "cn-hangzhou", "dup-a");
  cloud.spec("dup", 1, "cn-shanghai", "dup-b");
  REQUIRE(cloud.provision({"apply", "specs", "--auto-approve", "--state", "setup.json"}).exit_code == 0);
  REQUIRE(cloud.requests("CreateRayCluster") == 2);
  std::filesystem::remove(cloud.dir() / "specs/dup-b.yaml");

  auto plan = cloud.provision({"plan", "specs", "--detailed-exitcode"});
  CHECK(plan.exit_code == 1);
  CHECK(plan.out.find("! conflict  dup") != std::string::npos);
  CHECK(plan.out.find("2 clusters named 'dup' exist in workspace w-it") != std::string::npos);
  auto apply = cloud.provision({"apply", "specs", "--auto-approve", "--adopt"});
  CHECK(apply.exit_code == 6);
  CHECK(apply.out.find("will not guess") != std::string::npos);
  write_pending_create_state(cloud, "crashed.json", "dup");
  auto pending = cloud.provision({"apply", "specs", "--auto-approve", "--state", "crashed.json"});
  CHECK(pending.exit_code == 6);
  CHECK(cloud.requests("CreateRayCluster") == 2);
  CHECK(cluster_id_in(cloud, "crashed.json", "dup").empty());  // still pending, nothing guessed
}

TEST_CASE("an existing cluster with the spec's name is refused, or adopted with --adopt") {
  EmulatedCloud cloud;
  cloud.spec("alpha");
  REQUIRE(cloud.provision({"apply", "specs", "--auto-approve", "--state", "other.json"}).exit_code == 0);
  const std::string id = cluster_id_in(cloud, "other.json", "alpha");
  auto refused = cloud.provision({"apply", "specs", "--auto-approve"});
  CHECK(refused.exit_code == 6);
  CHECK(refused.out.find("provision state import alpha " + id + " specs/alpha.yaml") != std::string::npos);
  CHECK(cloud.requests("CreateRayCluster") == 1);
  // The suggested command works, and checks the cluster first.
  CHECK(cloud.provision({"state", "import", "alpha", "ray-nope", "specs/alpha.yaml"}).exit_code == 3);
  auto imported =
      cloud.provision({"state", "import", "alpha", id, "specs/alpha.yaml", "--state", "imported.json"});
  CHECK(imported.exit_code == 0);
  auto after_import = cloud.provision({"plan", "specs", "--state", "imported.json"});
  CHECK(after_import.out.find("~ update  alpha") != std::string::npos);
  auto adopted = cloud.provision({"apply", "specs", "--auto-approve", "--adopt"});
  CHECK(adopted.exit_code == 0);
  CHECK(cluster_id_in(cloud, ".provision/state.json", "alpha") == id);
  CHECK(cloud.requests("CreateRayCluster") == 1);
}

TEST_CASE("plan --refresh finds clusters deleted or changed outside provision, apply repairs them") {
  EmulatedCloud cloud;
  cloud.spec("alpha");
  cloud.spec("beta");
  REQUIRE(cloud.provision({"apply", "specs", "--auto-approve"}).exit_code == 0);
  CHECK(cloud.provision({"plan", "specs", "--refresh", "--detailed-exitcode"}).exit_code == 0);
  const std::string alpha = cluster_id_in(cloud, ".provision/state.json", "alpha");
  const std::string beta = cluster_id_in(cloud, ".provision/state.json", "beta");
  // Behind provision's back: another state deletes alpha and changes beta.
  for (const auto& [name, id] :
       {std::pair{std::string("alpha"), alpha}, std::pair{std::string("beta"), beta}})
    REQUIRE(cloud
                .provision({"state", "import", name, id, "--workspace-id", "w-it", "--region-id",
                            "cn-hangzhou", "--state", "behind.json"})
                .exit_code == 0);
  REQUIRE(cloud.provision({"destroy", "specs/alpha.yaml", "--auto-approve", "--state", "behind.json"})
              .exit_code == 0);
  cloud.spec("beta", 4);
  REQUIRE(
      cloud.provision({"apply", "specs/beta.yaml", "--auto-approve", "--state", "behind.json"}).exit_code ==
      0);
  cloud.spec("beta", 1);

  CHECK(cloud.provision({"plan", "specs", "--detailed-exitcode"}).exit_code == 0);  // without refresh: unseen
  auto drift = cloud.provision({"plan", "specs", "--refresh", "--detailed-exitcode"});
  CHECK(drift.exit_code == 2);
  CHECK(drift.out.find("cluster " + alpha + " was deleted outside provision") != std::string::npos);
  CHECK(drift.out.find("changed outside provision") != std::string::npos);
  CHECK(drift.out.find("/workerSpec/0/replica: 4 -> 1") != std::string::npos);

  const std::size_t creates = cloud.requests("CreateRayCluster");
  const std::size_t updates = cloud.requests("UpdateRayCluster");
  auto repaired = cloud.provision({"apply", "specs", "--auto-approve", "--refresh"});
  INFO(repaired.out, repaired.err);
  CHECK(repaired.exit_code == 0);
  CHECK(cloud.requests("CreateRayCluster") == creates + 1);
  CHECK(cloud.requests("UpdateRayCluster") == updates + 1);
  CHECK(cluster_id_in(cloud, ".provision/state.json", "alpha") != alpha);
  CHECK(cloud.provision({"plan", "specs", "--refresh", "--detailed-exitcode"}).exit_code == 0);
}
