// The PostgreSQL store through the real binaries: a private PostgreSQL server, the real
// emulator over TLS, and provision processes in working folders that share nothing but
// the database (as CI runners on different machines would).
#include <doctest/doctest.h>
#include <signal.h>

#include <filesystem>
#include <thread>

#include "integration/provision_fixture.hpp"
#include "support/postgres_server.hpp"

using namespace provision::test;
namespace fs = std::filesystem;

namespace {

// A runner: its own folder with a copy of the specs, the database in PROVISION_STATE.
struct Runner {
  TempDir dir;
  RunOptions options;
  std::vector<std::string> endpoint;

  Runner(const EmulatedCloud& cloud, const PostgresServer& db, const std::string& state_name = "") {
    fs::copy(cloud.dir() / "specs", dir / "specs", fs::copy_options::recursive);
    options = cloud.options();
    options.cwd = dir.path().string();
    for (const auto& [k, v] : db.env()) options.env[k] = v;
    options.env["PROVISION_STATE"] = db.uri();
    if (!state_name.empty()) options.env["PROVISION_STATE_NAME"] = state_name;
    endpoint = cloud.endpoint_args();
  }
  std::vector<std::string> argv(std::vector<std::string> args) const {
    args.insert(args.begin(), PROVISION_BINARY);
    args.insert(args.end(), endpoint.begin(), endpoint.end());
    return args;
  }
  RunResult provision(const std::vector<std::string>& args) const {
    return provision::test::run(argv(args), options);
  }
};

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("postgres store: apply records every cluster in the database, a rerun elsewhere sends nothing") {
  PostgresServer db;
  EmulatedCloud cloud;
  cloud.spec("alpha");
  cloud.spec("beta", 2);
  Runner first(cloud, db);
  auto applied = first.provision({"apply", "specs", "--auto-approve"});
  REQUIRE_MESSAGE(applied.exit_code == 0, applied.out << applied.err);
  CHECK(!fs::exists(first.dir / ".provision"));  // nothing local
  CHECK(db.sql("SELECT count(*) FROM provision_clusters WHERE state_name = 'default'") == "2\n");
  CHECK(db.sql("SELECT version FROM provision_schema") == "1\n");

  // A fresh runner (another machine) knows the clusters: no request that changes anything.
  const std::size_t before = cloud.requests();
  Runner second(cloud, db);
  auto rerun = second.provision({"apply", "specs", "--auto-approve"});
  CHECK(rerun.exit_code == 0);
  CHECK(rerun.out.find("No changes") != std::string::npos);
  CHECK(cloud.requests() == before);
  auto listed = second.provision({"state", "list"});
  CHECK(listed.out.find("alpha") != std::string::npos);
  CHECK(listed.out.find("beta") != std::string::npos);

  // rm and import work on the database too.
  const auto shown = second.provision({"state", "show", "alpha", "--output", "json"});
  const auto at = shown.out.find("\"clusterId\":\"");
  REQUIRE(at != std::string::npos);
  const std::string id = shown.out.substr(at + 13, shown.out.find('"', at + 13) - at - 13);
  CHECK(second.provision({"state", "rm", "alpha"}).exit_code == 0);
  CHECK(db.sql("SELECT count(*) FROM provision_clusters WHERE name = 'alpha'") == "0\n");
  auto imported = second.provision({"state", "import", "alpha", id, "specs/alpha.yaml"});
  CHECK_MESSAGE(imported.exit_code == 0, imported.err);
  CHECK(db.sql("SELECT record->>'clusterId' FROM provision_clusters WHERE name = 'alpha'") == id + "\n");

  // Another state name is another, independent state.
  Runner other(cloud, db, "staging");
  auto empty = other.provision({"state", "list"});
  CHECK(empty.exit_code == 0);
  CHECK(empty.out.find("No clusters in PostgreSQL state 'staging' at " + db.uri()) != std::string::npos);
  auto refused = other.provision({"plan", "specs"});
  CHECK(refused.exit_code == 1);  // the clusters exist, unmanaged by 'staging'
}

TEST_CASE(
    "postgres store: several runners apply the same specs at once, each spec gets exactly one cluster") {
  PostgresServer db;
  EmulatedCloud cloud({"--start-delay", "1"});
  const int specs = 6;
  for (int i = 0; i < specs; ++i) cloud.spec("c" + std::to_string(i));
  std::vector<std::unique_ptr<Runner>> runners;
  for (int i = 0; i < 4; ++i) runners.push_back(std::make_unique<Runner>(cloud, db));
  std::vector<RunResult> results(runners.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < runners.size(); ++i)
    threads.emplace_back([&, i] {
      results[i] = runners[i]->provision({"apply", "specs", "--auto-approve", "--lock-timeout", "90"});
    });
  for (auto& t : threads) t.join();
  std::size_t waited = 0;
  for (const auto& r : results) {
    INFO(r.out, r.err);
    CHECK(r.exit_code == 0);
  }
  for (const auto& r : results) waited += r.out.find("No changes") != std::string::npos ? 1 : 0;
  CHECK(waited == runners.size() - 1);  // one applied; the others waited, then found nothing to do
  CHECK(cloud.requests("CreateRayCluster") == static_cast<std::size_t>(specs));
  CHECK(db.sql("SELECT count(*) FROM provision_clusters WHERE record->>'phase' = 'created'") ==
        std::to_string(specs) + "\n");
}

TEST_CASE("postgres store: a second runner is refused at once, naming the holder on its host") {
  PostgresServer db;
  EmulatedCloud cloud({"--start-delay", "3"});
  cloud.spec("alpha");
  Runner holder(cloud, db), other(cloud, db);
  BackgroundProcess apply(holder.argv({"apply", "specs", "--auto-approve"}), holder.options);
  // Wait until the holder has the lock (its record is in the table).
  for (int i = 0; i < 200 && db.sql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'") != "1\n";
       ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto refused = other.provision({"apply", "specs", "--auto-approve"});
  CHECK(refused.exit_code == 9);
  CHECK(refused.err.find("state is locked by pid " + std::to_string(apply.pid())) != std::string::npos);
  CHECK(refused.err.find("(provision apply, since") != std::string::npos);
  CHECK(refused.err.find("PostgreSQL state 'default' at " + db.uri()) != std::string::npos);
  CHECK(apply.stop(0, std::chrono::seconds(60)).exit_code == 0);
}

TEST_CASE("postgres store: kill -9 of the lock holder mid-apply, the next apply gets the lock at once") {
  PostgresServer db;
  EmulatedCloud cloud({"--start-delay", "4"});
  for (int i = 0; i < 4; ++i) cloud.spec("k" + std::to_string(i));
  Runner victim(cloud, db), next(cloud, db);
  {
    BackgroundProcess apply(victim.argv({"apply", "specs", "--auto-approve"}), victim.options);
    for (int i = 0; i < 400 && cloud.count("CreateRayCluster") < 2; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    REQUIRE(cloud.count("CreateRayCluster") >= 2);
    ::kill(apply.pid(), SIGKILL);
    apply.stop(SIGKILL);
  }
  auto recovered = next.provision({"apply", "specs", "--auto-approve"});  // no --lock-timeout
  INFO(recovered.out, recovered.err);
  CHECK(recovered.exit_code == 0);
  CHECK(cloud.requests("CreateRayCluster") == 4);  // no duplicate
  auto listed = next.provision({"state", "list", "--output", "json"});
  CHECK(count_of(listed.out, "\"phase\":\"created\"") == 4);
  CHECK(count_of(listed.out, "\"clusterId\":\"ray-") == 4);  // no lost id
}

TEST_CASE("postgres store: the database stops mid-apply, a clear error, then a rerun completes") {
  PostgresServer db;
  // Every answer comes 1.5 s late, so the Creates are out (their pending-create records
  // committed) when the database stops, and their clusterIds can no longer be recorded.
  EmulatedCloud cloud({"--faults", "slow", "--fault-rate", "1", "--slow-delay", "1.5", "--seed", "1"});
  for (int i = 0; i < 3; ++i) cloud.spec("d" + std::to_string(i));
  Runner runner(cloud, db);
  RunResult failed;
  {
    BackgroundProcess apply(runner.argv({"apply", "specs", "--auto-approve"}), runner.options);
    auto pending = [&] {
      return db.sql_or_empty(
          "SELECT count(*) FROM provision_clusters WHERE record->>'phase' = 'pending-create'");
    };
    for (int i = 0; i < 600 && pending() != "3\n"; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(pending() == "3\n");
    db.stop();
    failed = apply.stop(0, std::chrono::seconds(60));
    failed.out = apply.output();
  }
  INFO(failed.out);
  CHECK(failed.exit_code == 8);
  CHECK(failed.out.find("PostgreSQL state 'default' at " + db.uri()) != std::string::npos);
  db.start();
  auto rerun = runner.provision({"apply", "specs", "--auto-approve"});
  INFO(rerun.out, rerun.err);
  CHECK(rerun.exit_code == 0);
  CHECK(cloud.requests("CreateRayCluster") == 3);  // the pending ones were adopted by name
  auto listed = runner.provision({"state", "list", "--output", "json"});
  CHECK(count_of(listed.out, "\"phase\":\"created\"") == 3);
}

TEST_CASE("postgres store: state migrate copies a local state into the database, and refuses a full target") {
  PostgresServer db;
  EmulatedCloud cloud;
  cloud.spec("alpha");
  cloud.spec("beta");
  REQUIRE(cloud.provision({"apply", "specs", "--auto-approve"}).exit_code == 0);
  auto o = cloud.options();
  for (const auto& [k, v] : db.env()) o.env[k] = v;
  auto migrated = provision::test::run({PROVISION_BINARY, "state", "migrate", "--to", db.uri()}, o);
  INFO(migrated.out, migrated.err);
  CHECK(migrated.exit_code == 0);
  CHECK(migrated.out.find("Copied 2 clusters from state file '.provision/state.json' to PostgreSQL state "
                          "'default'") != std::string::npos);
  auto local = provision::test::run({PROVISION_BINARY, "state", "list", "--output", "json"}, o);
  auto remote =
      provision::test::run({PROVISION_BINARY, "state", "list", "--output", "json", "--state", db.uri()}, o);
  CHECK(remote.out == local.out);
  auto again = provision::test::run({PROVISION_BINARY, "state", "migrate", "--to", db.uri()}, o);
  CHECK(again.exit_code == 8);
  CHECK(again.err.find("already holds 2 clusters") != std::string::npos);
  // And back, into another local file.
  auto back = provision::test::run(
      {PROVISION_BINARY, "state", "migrate", "--from", db.uri(), "--to", "copy/state.json"}, o);
  CHECK(back.exit_code == 0);
  auto copied = provision::test::run(
      {PROVISION_BINARY, "state", "list", "--output", "json", "--state", "copy/state.json"}, o);
  CHECK(copied.out == local.out);
}

TEST_CASE("postgres store: the password never appears in output, errors or the database rows") {
  PostgresServer db;
  EmulatedCloud cloud;
  cloud.spec("alpha");
  auto o = cloud.options();
  o.env["PROVISION_STATE"] = db.uri_with_password();
  std::string said;
  for (const auto& args : std::vector<std::vector<std::string>>{{"apply", "specs", "--auto-approve"},
                                                                {"plan", "specs"},
                                                                {"status"},
                                                                {"state", "list"},
                                                                {"state", "show", "alpha"},
                                                                {"state", "list", "--output", "json"}}) {
    std::vector<std::string> argv{PROVISION_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    for (const auto& a : cloud.endpoint_args()) argv.push_back(a);
    auto r = provision::test::run(argv, o);
    CHECK_MESSAGE(r.exit_code == 0, args[0], r.err);
    said += r.out + r.err;
  }
  // A wrong password and a stopped server: the errors name the store, never the password.
  o.env["PROVISION_STATE"] = "postgresql://provision:wrong-" + db.password() + "@127.0.0.1:1/postgres";
  auto refused = provision::test::run({PROVISION_BINARY, "state", "list"}, o);
  CHECK(refused.exit_code == 8);
  CHECK(refused.err.find("postgresql://provision@127.0.0.1:1/postgres") != std::string::npos);
  said += refused.out + refused.err;
  CHECK(said.find(db.password()) == std::string::npos);
  CHECK(said.find("postgresql://provision@127.0.0.1") != std::string::npos);
  CHECK(db.sql("SELECT count(*) FROM provision_clusters WHERE record::text LIKE '%" + db.password() + "%'") ==
        "0\n");
  CHECK(db.sql("SELECT count(*) FROM provision_locks WHERE command LIKE '%" + db.password() + "%'") == "0\n");
}
