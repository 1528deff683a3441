// The real client against the real provision-emulator process over TLS: every
// operation through a whole lifecycle, keep-alive, rejected credentials, the
// emulator's rate limit (Throttling + TimeLeft) and a commit whose answer is lost.
// Needs the provision-emulator binary (built by the default target).
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <regex>
#include <thread>

#include "api/ray_cluster_client.hpp"
#include "api_test_names.hpp"
#include "emulator_client.hpp"
#include "support/temp_dir.hpp"

namespace {

const std::string kBody =
    R"json({"name":"client-it","displayReleaseVersion":"ray-1.0.0 (Ray 2.47.1, Python 3.12)",)json"
    R"json("headSpec":{"cpu":"2","memory":"8Gi"},"workerSpec":[{"groupName":"g","replica":1}]})json";

}  // namespace

TEST_CASE("every operation against provision-emulator, through a whole lifecycle") {
  Emulator emulator;
  Client c(emulator);
  auto& api = *c.client;

  auto created = c.run(api.create_ray_cluster(kWorkspace, kBody));
  REQUIRE_MESSAGE(created.ok(), created.failure().message);
  const std::string id = created.value().cluster_id;
  CHECK(std::regex_match(id, std::regex("ray-[a-z0-9]{16}")));
  CHECK_FALSE(created.value().request_id.empty());

  auto listed = c.run(api.list_ray_clusters(kWorkspace));
  REQUIRE_MESSAGE(listed.ok(), listed.failure().message);
  REQUIRE(listed.value().size() == 1);
  CHECK(listed.value()[0].cluster_id == id);
  CHECK(listed.value()[0].name == "client-it");

  ClusterInfo running = c.wait_for(id, "Running");
  CHECK_FALSE(running.instance_id.empty());
  CHECK_FALSE(running.dashboard_url.empty());
  CHECK(running.create_time.has_value());
  CHECK_FALSE(running.modified);

  std::string changed = kBody;
  changed.replace(changed.find("\"8Gi\""), 5, "\"16Gi\"");
  auto updated = c.run(api.update_ray_cluster(kWorkspace, id, changed));
  REQUIRE_MESSAGE(updated.ok(), updated.failure().message);
  CHECK(updated.value().cluster_id == id);
  auto after_update = c.run(api.get_ray_cluster(kWorkspace, id));
  REQUIRE(after_update.ok());
  CHECK(after_update.value().modified);
  CHECK(after_update.value().raw.at("headSpec").at("memory").as_string() == "16Gi");

  auto stopped = c.run(api.stop_ray_cluster(kWorkspace, id, running.instance_id));
  REQUIRE_MESSAGE(stopped.ok(), stopped.failure().message);
  c.wait_for(id, "Stopped");

  auto started = c.run(api.start_ray_cluster(kWorkspace, id));
  REQUIRE_MESSAGE(started.ok(), started.failure().message);
  // Repeating the same logical start (same clientToken) is a no-op success.
  auto repeated = c.run(api.start_ray_cluster(kWorkspace, id, started.value().client_token));
  REQUIRE_MESSAGE(repeated.ok(), repeated.failure().message);
  CHECK_FALSE(c.wait_for(id, "Running").modified);

  // Delete is refused while running: a final 409 whose message names everything.
  auto refused = c.run(api.delete_ray_cluster(kWorkspace, id));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.failure().kind == FailureKind::kFinal);
  CHECK(refused.failure().http_status == 409);
  CHECK(refused.failure().code == "OperationDenied");
  CHECK_FALSE(refused.failure().request_id.empty());
  CHECK(contains(refused.failure().message,
                 "DeleteRayCluster failed on host 127.0.0.1:" + std::to_string(emulator.port) +
                     " (HTTP 409, code OperationDenied"));

  REQUIRE(c.run(api.stop_ray_cluster(kWorkspace, id)).ok());
  c.wait_for(id, "Stopped");
  auto deleted = c.run(api.delete_ray_cluster(kWorkspace, id));
  REQUIRE_MESSAGE(deleted.ok(), deleted.failure().message);

  auto gone = c.run(api.get_ray_cluster(kWorkspace, id));
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.failure().http_status == 404);
  CHECK(gone.failure().code == "NotFound");
  CHECK(gone.failure().kind == FailureKind::kFinal);

  auto empty = c.run(api.list_ray_clusters(kWorkspace));
  REQUIRE(empty.ok());
  CHECK(empty.value().empty());

  // Keep-alive: every call above went over one TLS connection.
  CHECK(c.transport->stats().tls_handshakes == 1);
  CHECK(c.transport->stats().requests_sent >= 12);
}

TEST_CASE("listing many clusters across pages") {
  Emulator emulator;
  RayClusterClientOptions options;
  options.list_page_size = 2;
  Client c(emulator, kDemo, options);
  for (int i = 0; i < 5; ++i) {
    std::string body = kBody;
    body.replace(body.find("client-it"), 9, "client-it-" + std::to_string(i));
    REQUIRE(c.run(c.client->create_ray_cluster(kWorkspace, body)).ok());
  }
  auto listed = c.run(c.client->list_ray_clusters(kWorkspace));
  REQUIRE_MESSAGE(listed.ok(), listed.failure().message);
  REQUIRE(listed.value().size() == 5);
  for (int i = 0; i < 5; ++i) CHECK(listed.value()[i].name == "client-it-" + std::to_string(i));
}

TEST_CASE("an unknown access key is a final rejection") {
  Emulator emulator;
  Client c(emulator, Credentials{"no-such-key", "whatever", "", "test"});
  auto listed = c.run(c.client->list_ray_clusters(kWorkspace));
  REQUIRE_FALSE(listed.ok());
  CHECK(listed.failure().kind == FailureKind::kFinal);
  CHECK(listed.failure().code == "InvalidAccessKeyId.NotFound");
  CHECK(listed.failure().attempts == 1);
  CHECK_FALSE(contains(listed.failure().message, "whatever"));  // never the secret
}

TEST_CASE("the emulator's rate limit: Throttling with TimeLeft, then success") {
  Emulator emulator({"--rate-limit", "1"});
  RayClusterClientOptions options;
  options.retry.max_attempts = 5;
  Client c(emulator, kDemo, options);
  for (int i = 0; i < 3; ++i) {
    auto listed = c.run(c.client->list_ray_clusters(kWorkspace));
    REQUIRE_MESSAGE(listed.ok(), listed.failure().message);
  }
  CHECK(c.transport->stats().requests_sent > 3);  // at least one Throttling answer was retried
}

TEST_CASE("a create whose answer is lost is ambiguous, sent once, and did happen") {
  TempDir data;
  {
    Emulator faulty({"--fault-rate", "1", "--faults", "drop-after-commit"}, data.path().string());
    Client c(faulty);
    auto created = c.run(c.client->create_ray_cluster(kWorkspace, kBody));
    REQUIRE_FALSE(created.ok());
    CHECK(created.failure().kind == FailureKind::kAmbiguous);
    CHECK(created.failure().attempts == 1);
    CHECK(contains(created.failure().message, "may have reached the server"));
  }
  Emulator healthy({}, data.path().string());
  Client c(healthy);
  auto listed = c.run(c.client->list_ray_clusters(kWorkspace));
  REQUIRE_MESSAGE(listed.ok(), listed.failure().message);
  CHECK(listed.value().size() == 1);  // exactly one: the client did not re-send it
}

TEST_CASE("reads survive injected 503s, 500s and resets") {
  Emulator emulator({"--fault-rate", "0.5", "--faults", "unavailable,internal-error,reset", "--seed", "7"});
  RayClusterClientOptions options;
  options.retry.max_attempts = 8;
  options.retry.base_delay = 10ms;
  Client c(emulator, kDemo, options);
  for (int i = 0; i < 5; ++i) {
    auto listed = c.run(c.client->list_ray_clusters(kWorkspace));
    REQUIRE_MESSAGE(listed.ok(), listed.failure().message);
  }
  CHECK(c.transport->stats().requests_sent > 5);  // some faults were met and retried
}
