// The runner's saves seen from the server: over real TLS to a scripted 127.0.0.1
// server that reads the state file at the moment each Create arrives.
#include <doctest/doctest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <cerrno>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>

#include "api/https_client.hpp"
#include "core/error.hpp"
#include "engine/runner.hpp"
#include "state/local_store.hpp"
#include "support/scripted_server.hpp"
#include "support/temp_dir.hpp"
#include "unit/engine/desired_cluster_fixture.hpp"

using namespace provision;
using namespace provision::engine;
using namespace provision::test;
using namespace std::chrono_literals;
namespace net = boost::asio;

namespace {

const api::Credentials kCredentials{"test-key-id", "test-key-secret", "", "test"};
Plan creates(int count) {
  Plan plan;
  for (int i = 0; i < count; ++i) {
    PlannedAction a;
    a.kind = ActionKind::kCreate;
    a.desired = desired("c" + std::to_string(i));
    a.identity = a.desired->identity;
    a.spec_file = a.desired->spec_file;
    plan.actions.push_back(a);
  }
  return plan;
}

struct NullSink : EventSink {
  void on_event(const ClusterEvent&) override {}
};

// Answers every CreateRayCluster with a new id after noting whether the state file
// already held that cluster's pending-create record.
struct CreateServer {
  explicit CreateServer(std::filesystem::path state_path)
      : path(std::move(state_path)), server([this](const TestRequest& r, int) { return answer(r); }) {}

  TestReply answer(const TestRequest& r) {
    if (r.header("x-acs-action") != "CreateRayCluster")
      return TestReply::json(400,
                             R"({"Code":"Unexpected","Message":"only Create expected","RequestId":"X"})");
    const std::string name(boost::json::parse(r.body).as_object().at("name").as_string());
    SeededRandom random(7);
    const auto s = state::LocalStore(path).load(random);
    auto it = s.clusters.find(desired(name).identity);
    if (it != s.clusters.end() && it->second.phase == state::Phase::kPendingCreate) ++durable_before_create;
    const int i = creates++;
    return TestReply::json(200, R"({"clusterId":"ray-)" + std::to_string(i) + R"(","requestId":"R"})");
  }

  std::filesystem::path path;
  std::atomic<int> creates{0};
  std::atomic<int> durable_before_create{0};
  ScriptedServer server;
};

// The client side: transport and client for the server, and a runner over them.
struct Client {
  Client(const TempDir& dir, const ScriptedServer& server) : random(5) {
    api::TransportOptions t;
    t.ca_file = dir.write("ca.pem", server.ca_pem()).string();
    transport = std::make_unique<api::HttpsClient>(io, t);
    client = std::make_unique<api::RayClusterClient>(*transport, api::Endpoint("127.0.0.1", server.port()),
                                                     kCredentials, kClock, random);
  }
  RunSummary run(const Plan& plan, StateWriter& writer, std::size_t parallelism) {
    NullSink sink;
    Runner runner(
        io, [this](const std::string&) -> api::RayClusterClient& { return *client; }, sink);
    RunOptions o;
    o.parallelism = parallelism;
    o.wait = false;
    return runner.run(plan, writer, o);
  }

  SeededRandom random;
  net::io_context io;
  std::unique_ptr<api::HttpsClient> transport;
  std::unique_ptr<api::RayClusterClient> client;
};

}  // namespace

TEST_CASE_FIXTURE(
    StateFixture,
    "every pending-create is on disk when its Create arrives, and concurrent clusters share saves") {
  CreateServer server(file.path());
  Client client(dir, server.server);
  std::atomic<int> saves{0};
  writer.set_fault_hook([&](state::WriteStep step) {
    if (step == state::WriteStep::kRename || step == state::WriteStep::kSyncAppend) ++saves;
    return 0;
  });
  const int n = 16;
  const auto summary = client.run(creates(n), writer, 8);

  REQUIRE(summary.results.size() == static_cast<std::size_t>(n));
  for (const auto& r : summary.results) CHECK_MESSAGE(r.ok, r.message);
  CHECK(server.creates == n);
  CHECK(server.durable_before_create == n);
  // One save per change would be 2 per cluster; the first eight pending-creates alone
  // are made before the first save ends, so they share at most two saves.
  CHECK(saves.load() < 2 * n);
  const auto on_disk = file.load(random);
  REQUIRE(on_disk.clusters.size() == static_cast<std::size_t>(n));
  std::set<std::string> ids;
  for (const auto& [id, r] : on_disk.clusters) {
    CHECK(r.phase == state::Phase::kCreated);
    ids.insert(r.cluster_id);
  }
  CHECK(ids.size() == static_cast<std::size_t>(n));
}

TEST_CASE_FIXTURE(
    StateFixture,
    "a pending-create that cannot be saved fails its cluster with a state error and is never sent") {
  CreateServer server(file.path());
  Client client(dir, server.server);
  writer.set_fault_hook([](state::WriteStep step) {
    return step == state::WriteStep::kSyncTemp || step == state::WriteStep::kSyncAppend ? EIO : 0;
  });
  const auto summary = client.run(creates(4), writer, 4);

  REQUIRE(summary.results.size() == 4);
  for (const auto& r : summary.results) {
    CHECK_FALSE(r.ok);
    CHECK(r.failure == ErrorKind::kState);
    CHECK(r.message.find("cannot save") != std::string::npos);
  }
  CHECK(server.creates == 0);
  CHECK(s.clusters.empty());  // taken back in memory too
  CHECK(!std::filesystem::exists(file.path()));
}

// One Running cluster whose Stop and Delete are carried out but never answered: the
// connection closes after the work, as a reset or a lost reply would leave it.
struct LostReplyServer {
  LostReplyServer() : server([this](const TestRequest& r, int) { return answer(r); }) {}

  TestReply answer(const TestRequest& r) {
    const std::string action = r.header("x-acs-action");
    std::lock_guard<std::mutex> lock(mutex);
    if (action == "GetRayCluster") {
      if (state.empty())
        return TestReply::json(404, R"({"Code":"NotFound","Message":"no such cluster","RequestId":"G"})");
      return TestReply::json(200, R"({"requestId":"G","clusterId":"ray-1","name":"a","state":")" + state +
                                      R"(","instanceId":"ray-1-inst"})");
    }
    if (action == "StopRayCluster") {
      ++stops;
      state = "Stopped";
      return TestReply::close_now();
    }
    if (action == "DeleteRayCluster") {
      ++deletes;
      if (state != "Stopped")
        return TestReply::json(409, R"({"Code":"OperationDenied","Message":"not stopped","RequestId":"D"})");
      state.clear();
      return TestReply::close_now();
    }
    return TestReply::json(400, R"({"Code":"Unexpected","Message":"unexpected","RequestId":"X"})");
  }

  std::mutex mutex;
  std::string state = "Running";
  int stops = 0;
  int deletes = 0;
  ScriptedServer server;
};

TEST_CASE_FIXTURE(
    StateFixture,
    "a destroy whose Stop and Delete answers are lost checks the cluster and finishes, sending each once") {
  LostReplyServer server;
  Client client(dir, server.server);
  const auto a = desired("a");
  writer.record_created(a.identity, a.spec_file, "ray-1", &a);
  writer.save_now();

  Plan plan;
  PlannedAction del;
  del.kind = ActionKind::kDelete;
  del.identity = a.identity;
  del.spec_file = a.spec_file;
  del.cluster_id = "ray-1";
  plan.actions.push_back(del);
  NullSink sink;
  Runner runner(
      client.io, [&](const std::string&) -> api::RayClusterClient& { return *client.client; }, sink);
  RunOptions o;
  o.poll_initial = 10ms;
  o.poll_max = 50ms;
  const auto summary = runner.run(plan, writer, o);

  REQUIRE(summary.results.size() == 1);
  CHECK_MESSAGE(summary.results[0].ok, summary.results[0].message);
  CHECK(server.stops == 1);    // not repeated: the cluster showed Stopped
  CHECK(server.deletes == 1);  // not repeated: the cluster was gone
  CHECK(file.load(random).clusters.empty());
}
