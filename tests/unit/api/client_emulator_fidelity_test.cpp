// The emulator accepts what the API document allows (every CreateRayCluster field is
// "Required: No") and invents nothing: bodies go out through the real client (the signed,
// SDK-shaped requests) to the real provision-emulator process, and Get and List must answer
// with exactly the spec fields that were sent.
#include <doctest/doctest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "emulator_client.hpp"

using namespace provision;
using namespace provision::test;
namespace json = boost::json;

namespace {

// Fields GetRayCluster adds about the cluster itself (api.md §1.4); everything else in its
// answer must be a field of the Create body.
constexpr const char* kResponseOnly[] = {
    "requestId",    "clusterId",   "state",       "message",      "createTime",  "startTime", "modifiedTime",
    "creator",      "creatorName", "modifier",    "modifierName", "userId",      "modified",  "instanceId",
    "dashboardUrl", "jobUrl",      "jobUrlInner", "grpcEndpoint", "submitToken", "instances"};

// What a Create body should come back as: the body without the Redis password, which the
// emulator never stores or returns (doc/emulator.md), and, for List, without the fields
// ListRayCluster leaves out (api.md §1.5).
json::object expected_view(const std::string& body, bool list) {
  json::object o = json::parse(body).as_object();
  if (auto* head = o.if_contains("headSpec"))
    if (auto* gft = head->as_object().if_contains("gftConfig")) gft->as_object().erase("redisPassword");
  if (list) {
    o.erase("volumeIds");
    o.erase("extraParam");
  }
  return o;
}

json::object spec_fields(json::object view) {
  for (const char* key : kResponseOnly) view.erase(key);
  return view;
}

// Every body line of tests/data/spec/valid/*.body.json (one line per document), by file.
std::vector<std::pair<std::string, std::string>> valid_bodies() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(PROVISION_TEST_DATA_DIR) + "/spec/valid"))
    if (entry.path().string().ends_with(".body.json")) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<std::pair<std::string, std::string>> bodies;
  for (const auto& file : files) {
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) bodies.emplace_back(file.filename().string(), line);
  }
  return bodies;
}

// Creates `body` through the client, then checks Get and the List item against it.
void round_trip(Client& c, const std::string& label, const std::string& body) {
  INFO(label << ": " << body);
  auto created = c.run(c.client->create_ray_cluster(kWorkspace, body));
  REQUIRE_MESSAGE(created.ok(), created.failure().message);
  const std::string id = created.value().cluster_id;

  auto got = c.run(c.client->get_ray_cluster(kWorkspace, id));
  REQUIRE_MESSAGE(got.ok(), got.failure().message);
  CHECK_MESSAGE(spec_fields(got.value().raw) == expected_view(body, false), "Get answered ",
                json::serialize(got.value().raw));

  auto listed = c.run(c.client->list_ray_clusters(kWorkspace));
  REQUIRE_MESSAGE(listed.ok(), listed.failure().message);
  auto item = std::find_if(listed.value().begin(), listed.value().end(),
                           [&](const api::ClusterInfo& i) { return i.cluster_id == id; });
  REQUIRE(item != listed.value().end());
  CHECK_MESSAGE(spec_fields(item->raw) == expected_view(body, true), "List answered ",
                json::serialize(item->raw));
}

}  // namespace

TEST_CASE("the minimal body {\"name\"} and the SDK's head-only create are accepted and returned as sent") {
  Emulator emulator;
  Client c(emulator);
  round_trip(c, "minimal", R"({"name":"minimal"})");
  // The issue's official-SDK case: no displayReleaseVersion, no workerSpec.
  round_trip(c, "head only", R"({"name":"x","headSpec":{"cpu":"2","memory":"8Gi"}})");
  // A worker group without groupName, and an empty headSpec.
  round_trip(c, "unnamed group", R"({"name":"g","headSpec":{},"workerSpec":[{"replica":2}]})");
}

TEST_CASE("every valid spec's body is accepted and Get/List return exactly what was sent") {
  const auto bodies = valid_bodies();
  REQUIRE(bodies.size() >= 9);  // one per valid case at least; an empty folder must not pass
  Emulator emulator;
  Client c(emulator);
  for (const auto& [file, body] : bodies) round_trip(c, file, body);
}

TEST_CASE("the document's own limits are still enforced") {
  Emulator emulator;
  Client c(emulator);
  for (const std::string body : {R"({"name":""})", R"({"workerSpec":[{"minReplica":3,"maxReplica":2}]})",
                                 R"({"workerSpec":[{"replica":0}]})"}) {
    INFO(body);
    auto created = c.run(c.client->create_ray_cluster(kWorkspace, body));
    REQUIRE_FALSE(created.ok());
    CHECK(created.failure().code == "InvalidParameter");
  }
  auto listed = c.run(c.client->list_ray_clusters(kWorkspace));
  REQUIRE(listed.ok());
  CHECK(listed.value().empty());
}
