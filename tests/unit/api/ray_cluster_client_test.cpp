// Pure request construction for the seven operations, response reading, UUIDs, endpoints.
#include "api/ray_cluster_client.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <regex>
#include <set>

#include "core/error.hpp"

using namespace provision;
using namespace provision::api;

namespace {

std::string header(const ApiCall& call, std::string_view name) {
  auto v = find_header(call.parts.headers, name);
  return v ? std::string(*v) : std::string("<absent>");
}

void check_common(const ApiCall& call, const std::string& action) {
  CHECK(call.operation == action);
  CHECK(header(call, "x-acs-action") == action);
  CHECK(header(call, "x-acs-version") == "2023-08-08");
  CHECK(header(call, "accept") == "application/json");
  CHECK(header(call, "user-agent") == std::string("provision/") + PROVISION_VERSION);
  CHECK(header(call, "host") == "emr.example:8443");
  CHECK(call.parts.host == "emr.example:8443");
  if (call.parts.body.empty()) {
    CHECK(header(call, "content-type") == "<absent>");
  } else {
    CHECK(header(call, "content-type") == "application/json; charset=utf-8");
  }
}

constexpr const char* kHost = "emr.example:8443";

}  // namespace

TEST_CASE("CreateRayCluster: POST on the collection with the body verbatim") {
  ApiCall c = create_ray_cluster_call(kHost, "w-d2d82aa09155", R"({"name":"dev"})");
  check_common(c, "CreateRayCluster");
  CHECK_FALSE(c.idempotent);
  CHECK(c.parts.method == "POST");
  CHECK(c.parts.path == "/api/v1/workspaces/w-d2d82aa09155/rayCluster");
  CHECK(c.parts.query.empty());
  CHECK(c.parts.body == R"({"name":"dev"})");
}

TEST_CASE("ListRayCluster: GET with pageNum and pageSize, no body") {
  ApiCall c = list_ray_cluster_call(kHost, "w-1", 3, 100);
  check_common(c, "ListRayCluster");
  CHECK(c.idempotent);
  CHECK(c.parts.method == "GET");
  CHECK(c.parts.path == "/api/v1/workspaces/w-1/rayCluster");
  CHECK(c.parts.query == NameValueList{{"pageNum", "3"}, {"pageSize", "100"}});
  CHECK(c.parts.body.empty());
  CHECK(wire_target(c.parts) == "/api/v1/workspaces/w-1/rayCluster?pageNum=3&pageSize=100");
}

TEST_CASE("GetRayCluster, UpdateRayCluster, DeleteRayCluster address one cluster") {
  ApiCall g = get_ray_cluster_call(kHost, "w-1", "ray-k7nm8ahl5te4tg91");
  check_common(g, "GetRayCluster");
  CHECK(g.idempotent);
  CHECK(g.parts.method == "GET");
  CHECK(g.parts.path == "/api/v1/workspaces/w-1/rayCluster/ray-k7nm8ahl5te4tg91");
  CHECK(wire_target(g.parts) == g.parts.path);

  ApiCall u = update_ray_cluster_call(kHost, "w-1", "ray-a", R"({"name":"x"})");
  check_common(u, "UpdateRayCluster");
  CHECK_FALSE(u.idempotent);
  CHECK(u.parts.method == "POST");  // not PUT
  CHECK(u.parts.path == "/api/v1/workspaces/w-1/rayCluster/ray-a");
  CHECK(u.parts.body == R"({"name":"x"})");

  ApiCall d = delete_ray_cluster_call(kHost, "w-1", "ray-a");
  check_common(d, "DeleteRayCluster");
  CHECK_FALSE(d.idempotent);
  CHECK(d.parts.method == "DELETE");
  CHECK(d.parts.path == "/api/v1/workspaces/w-1/rayCluster/ray-a");
  CHECK(d.parts.body.empty());
}

TEST_CASE("StartRayCluster carries the clientToken, StopRayCluster the instanceId") {
  ApiCall s = start_ray_cluster_call(kHost, "w-1", "ray-a", "c533e141-bf99-4236-8b6b-30e133db113c");
  check_common(s, "StartRayCluster");
  CHECK_FALSE(s.idempotent);
  CHECK(s.parts.method == "POST");
  CHECK(s.parts.path == "/api/v1/workspaces/w-1/rayCluster/ray-a/start");
  CHECK(s.parts.body == R"({"clientToken":"c533e141-bf99-4236-8b6b-30e133db113c"})");

  ApiCall t = stop_ray_cluster_call(kHost, "w-1", "ray-a", "ray-a-ey7blpbg");
  check_common(t, "StopRayCluster");
  CHECK(t.parts.path == "/api/v1/workspaces/w-1/rayCluster/ray-a/stop");
  CHECK(t.parts.body == R"({"instanceId":"ray-a-ey7blpbg"})");

  ApiCall bare = stop_ray_cluster_call(kHost, "w-1", "ray-a", "");
  CHECK(bare.parts.body == "{}");
  check_common(bare, "StopRayCluster");
}

TEST_CASE("path parameters are RFC 3986-encoded, one segment each") {
  ApiCall c = get_ray_cluster_call(kHost, "w a/b", "ray*1~");
  CHECK(c.parts.path == "/api/v1/workspaces/w%20a%2Fb/rayCluster/ray%2A1~");
}

TEST_CASE("uuid_v4 is a well-formed version-4 UUID, different each call") {
  SeededRandom random(7);
  std::regex form("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    std::string u = uuid_v4(random);
    CHECK(std::regex_match(u, form));
    seen.insert(u);
  }
  CHECK(seen.size() == 50);
  SeededRandom a(3), b(3);
  CHECK(uuid_v4(a) == uuid_v4(b));
}

TEST_CASE("cluster_info_from_json reads the documented fields and keeps the rest") {
  auto doc = boost::json::parse(R"({"requestId":"r","clusterId":"ray-k7","name":"dev","state":"Running",
    "message":"ok","dashboardUrl":"https://d/x","instanceId":"ray-k7-ey7b","modified":true,
    "createTime":1750327083303,"modifiedTime":"1750327083999","headSpec":{"cpu":"2"}})");
  auto info = cluster_info_from_json(doc.as_object());
  REQUIRE(info.has_value());
  CHECK(info->cluster_id == "ray-k7");
  CHECK(info->name == "dev");
  CHECK(info->state == "Running");
  CHECK(info->message == "ok");
  CHECK(info->dashboard_url == "https://d/x");
  CHECK(info->instance_id == "ray-k7-ey7b");
  CHECK(info->modified);
  CHECK(info->create_time == 1750327083303);
  CHECK(info->modified_time == 1750327083999);
  CHECK(info->raw.at("headSpec").at("cpu").as_string() == "2");

  auto missing = boost::json::parse(R"({"name":"no id","createTime":"soon"})");
  CHECK_FALSE(cluster_info_from_json(missing.as_object()).has_value());
  auto partial = boost::json::parse(R"({"clusterId":"ray-1","createTime":"soon","modified":"yes"})");
  auto p = cluster_info_from_json(partial.as_object());
  REQUIRE(p.has_value());
  CHECK_FALSE(p->create_time.has_value());
  CHECK_FALSE(p->modified);
}

TEST_CASE("Endpoint::authority is the Host header and pool key") {
  CHECK(Endpoint("emr-serverless-spark.cn-hangzhou.aliyuncs.com").authority() ==
        "emr-serverless-spark.cn-hangzhou.aliyuncs.com");
  CHECK(Endpoint("127.0.0.1", 8443).authority() == "127.0.0.1:8443");
  CHECK(Endpoint("localhost", 443).authority() == "localhost");
  CHECK(Endpoint("::1", 9000).authority() == "[::1]:9000");
  CHECK(Endpoint("::1", 443).authority() == "[::1]");
}
