// Create -> Starting -> Running, Stop -> Stopping -> Stopped, Start, Update, Delete, and the
// transitions each state denies.
#include <doctest/doctest.h>

#include <regex>

#include "handler_harness.hpp"

using namespace provision;
using namespace provision::emulator;
using namespace provision::emulator::test;

namespace {

HandlerResponse start(Harness& h, const std::string& id, const std::string& body = "{}") {
  return h.call("POST", kBase + "/" + id + "/start", "StartRayCluster", body);
}
HandlerResponse stop(Harness& h, const std::string& id, const std::string& body = "{}") {
  return h.call("POST", kBase + "/" + id + "/stop", "StopRayCluster", body);
}
HandlerResponse remove(Harness& h, const std::string& id) {
  return h.call("DELETE", kBase + "/" + id, "DeleteRayCluster");
}

}  // namespace

TEST_CASE("ids look like the service's") {
  Harness h;
  auto r = h.call("POST", kBase, "CreateRayCluster", minimal_body());
  auto body = boost::json::parse(r.body).as_object();
  std::string id(body.at("clusterId").as_string());
  CHECK(std::regex_match(id, std::regex("ray-[a-z0-9]{16}")));
  CHECK(std::regex_match(r.request_id,
                         std::regex("[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}")));
  auto got = h.get(id);
  CHECK(std::regex_match(std::string(got.at("instanceId").as_string()), std::regex(id + "-[a-z0-9]{8}")));
}

TEST_CASE("the full lifecycle with a start delay") {
  Harness h;
  std::string id = h.create();
  CHECK(h.state(id) == "Starting");
  h.advance(std::chrono::milliseconds(1999));
  CHECK(h.state(id) == "Starting");
  h.advance(std::chrono::milliseconds(1));
  CHECK(h.state(id) == "Running");

  CHECK(code_of(start(h, id)) == "OperationDenied");
  CHECK(code_of(remove(h, id)) == "OperationDenied");
  CHECK(remove(h, id).status == 409);

  CHECK(stop(h, id).status == 200);
  CHECK(h.state(id) == "Stopping");
  CHECK(code_of(stop(h, id)) == "OperationDenied");
  CHECK(code_of(start(h, id)) == "OperationDenied");
  CHECK(code_of(h.call("POST", kBase + "/" + id, "UpdateRayCluster", minimal_body())) == "OperationDenied");
  h.advance(std::chrono::seconds(2));
  CHECK(h.state(id) == "Stopped");

  auto update = h.call("POST", kBase + "/" + id, "UpdateRayCluster", minimal_body("renamed"));
  CHECK(update.status == 200);
  CHECK(boost::json::parse(update.body).at("clusterId").as_string() == id);
  auto got = h.get(id);
  CHECK(got.at("name").as_string() == "renamed");
  CHECK(got.at("modified").as_bool());

  CHECK(start(h, id, R"({"clientToken":"c533e141-bf99-4236-8b6b-30e133db113c"})").status == 200);
  CHECK(h.state(id) == "Starting");
  CHECK_FALSE(h.get(id).at("modified").as_bool());
  // The same clientToken again is an idempotent retry, another one is denied.
  CHECK(start(h, id, R"({"clientToken":"c533e141-bf99-4236-8b6b-30e133db113c"})").status == 200);
  CHECK(code_of(start(h, id, R"({"clientToken":"other"})")) == "OperationDenied");

  h.advance(std::chrono::seconds(2));
  CHECK(stop(h, id).status == 200);
  h.advance(std::chrono::seconds(2));
  CHECK(remove(h, id).status == 200);
  auto gone = h.call("GET", kBase + "/" + id, "GetRayCluster");
  CHECK(gone.status == 404);
  CHECK(code_of(gone) == "NotFound");
}

TEST_CASE("a zero start delay makes clusters Running and Stopped at once") {
  HandlerSettings settings = fast_settings();
  settings.start_delay = std::chrono::milliseconds(0);
  Harness h(settings);
  std::string id = h.create();
  CHECK(h.state(id) == "Running");
  CHECK(stop(h, id).status == 200);
  CHECK(h.state(id) == "Stopped");
}

TEST_CASE("Stop checks instanceId, Running clusters may be updated") {
  Harness h;
  std::string id = h.create();
  h.advance(std::chrono::seconds(3));
  auto update = h.call("POST", kBase + "/" + id, "UpdateRayCluster", minimal_body("v2"));
  CHECK(update.status == 200);
  CHECK(h.get(id).at("modified").as_bool());
  auto r = stop(h, id, R"({"instanceId":"ray-wrong-instance"})");
  CHECK(r.status == 400);
  CHECK(code_of(r) == "InvalidParameter");
  std::string instance(h.get(id).at("instanceId").as_string());
  CHECK(stop(h, id, R"({"instanceId":")" + instance + R"("})").status == 200);
}

TEST_CASE("unknown clusters, workspaces and routes") {
  Harness h;
  std::string id = h.create();
  auto r = h.call("GET", kBase + "/ray-0000000000000000", "GetRayCluster");
  CHECK(r.status == 404);
  CHECK(code_of(r) == "NotFound");
  // A cluster is visible only in its own workspace.
  CHECK(h.call("GET", "/api/v1/workspaces/w-other/rayCluster/" + id, "GetRayCluster").status == 404);
  auto bad_workspace = h.call("GET", "/api/v1/workspaces/W-Upper/rayCluster", "ListRayCluster");
  CHECK(bad_workspace.status == 404);
  CHECK(code_of(bad_workspace) == "NotFound");
  auto no_route = h.call("PUT", kBase + "/" + id, "UpdateRayCluster", minimal_body());
  CHECK(no_route.status == 404);
  CHECK(code_of(no_route) == "InvalidAction.NotFound");
  auto wrong_action = h.call("GET", kBase + "/" + id, "DeleteRayCluster");
  CHECK(code_of(wrong_action) == "InvalidAction.NotFound");
  auto wrong_version = h.request("GET", kBase, "ListRayCluster");
  api::set_header(wrong_version.headers, "x-acs-version", "2021-01-01");
  CHECK(code_of(h.send(h.signed_request(wrong_version))) == "NoSuchVersion");
  // Found by fuzzing: the echoed version must not make the error body invalid UTF-8.
  auto binary_version = h.request("GET", kBase, "ListRayCluster");
  api::set_header(binary_version.headers, "x-acs-version", "20\xff\xfe");
  auto echoed = h.send(h.signed_request(binary_version));
  CHECK(code_of(echoed) == "NoSuchVersion");
  CHECK(echoed.body.find("20\xef\xbf\xbd\xef\xbf\xbd") != std::string::npos);
  CHECK(echoed.body.find('\xff') == std::string::npos);
}

TEST_CASE("Get returns the full cluster, List omits what api.md says it lacks") {
  Harness h;
  std::string body = minimal_body();
  body.insert(body.size() - 1, R"(,"extraParam":"{\"a\":1}","volumeIds":["v-1"])");
  auto created = h.call("POST", kBase, "CreateRayCluster", body);
  REQUIRE(created.status == 200);
  std::string id(boost::json::parse(created.body).at("clusterId").as_string());
  h.advance(std::chrono::seconds(2));
  auto got = h.get(id);
  for (const char* key : {"requestId",    "clusterId",   "name",         "displayReleaseVersion",
                          "state",        "message",     "createTime",   "startTime",
                          "modifiedTime", "modified",    "instanceId",   "dashboardUrl",
                          "jobUrl",       "jobUrlInner", "grpcEndpoint", "submitToken",
                          "headSpec",     "workerSpec",  "instances",    "volumeIds",
                          "extraParam",   "creator",     "userId"})
    CHECK_MESSAGE(got.contains(key), key);
  CHECK(got.at("createTime").as_int64() == 1'800'000'000'000);
  CHECK_FALSE(got.at("headSpec").as_object().contains("replica"));  // not sent, so not returned
  CHECK(got.at("headSpec").at("cpu").as_string() == "2");
  CHECK(got.at("workerSpec").at(0).at("replica").as_int64() == 2);
  CHECK(got.at("extraParam").as_string() == R"({"a":1})");
  CHECK(got.at("instances").at(0).at("type").as_string() == "Head");

  auto list = boost::json::parse(h.call("GET", kBase, "ListRayCluster").body).as_object();
  CHECK(list.size() == 2);  // requestId and rayClusters only: no totalCount, no nextToken
  auto item = list.at("rayClusters").at(0).as_object();
  CHECK(item.at("clusterId").as_string() == id);
  CHECK(item.at("state").as_string() == "Running");
  for (const char* key : {"jobUrl", "jobUrlInner", "submitToken", "instances", "volumeIds", "extraParam"})
    CHECK_FALSE_MESSAGE(item.contains(key), key);
  CHECK(item.contains("headSpec"));
  CHECK(item.contains("dashboardUrl"));
}

TEST_CASE("a cluster created from {\"name\"} alone: Get and List invent no spec field") {
  Harness h;
  auto created = h.call("POST", kBase, "CreateRayCluster", R"({"name":"bare"})");
  REQUIRE(created.status == 200);
  std::string id(boost::json::parse(created.body).at("clusterId").as_string());
  auto got = h.get(id);
  auto item =
      boost::json::parse(h.call("GET", kBase, "ListRayCluster").body).at("rayClusters").at(0).as_object();
  for (const auto* view : {&got, &item}) {
    CHECK(view->at("name").as_string() == "bare");
    for (const char* key : {"displayReleaseVersion", "description", "networkServiceName", "extraParam",
                            "volumeIds", "headSpec", "workerSpec"})
      CHECK_FALSE_MESSAGE(view->contains(key), key);
  }
  CHECK(got.at("state").as_string() == "Starting");
}
