#include "emulator/request_router.hpp"

#include <doctest/doctest.h>

#include "emulator/ids.hpp"

using namespace provision;
using namespace provision::emulator;

TEST_CASE("the seven operations route by method and path") {
  const std::string base = "/api/v1/workspaces/w-1/rayCluster";
  struct Case {
    const char* method;
    std::string path;
    Operation op;
  };
  for (const Case& c :
       {Case{"POST", base, Operation::kCreate}, Case{"GET", base, Operation::kList},
        Case{"GET", base + "/ray-1", Operation::kGet}, Case{"POST", base + "/ray-1", Operation::kUpdate},
        Case{"DELETE", base + "/ray-1", Operation::kDelete},
        Case{"POST", base + "/ray-1/start", Operation::kStart},
        Case{"POST", base + "/ray-1/stop", Operation::kStop}}) {
    auto route = route_request(c.method, c.path);
    REQUIRE_MESSAGE(route, c.method, " ", c.path);
    CHECK(route->operation == c.op);
    CHECK(route->workspace_id == "w-1");
  }
  CHECK(route_request("GET", base + "/ray-1")->cluster_id == "ray-1");
  CHECK(route_request("GET", "/api/v1/workspaces/w%2D1/rayCluster")->workspace_id == "w-1");
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"PUT", base},
           {"DELETE", base},
           {"GET", base + "/ray-1/start"},
           {"POST", base + "/ray-1/restart"},
           {"GET", "/api/v1/workspaces/w-1/rayclusters"},
           {"GET", "/api/v1/workspaces//rayCluster"},
           {"GET", base + "/"},
           {"GET", "/api/v1/workspaces/w-1/rayCluster/ray-1/stop/x"},
           {"GET", "/api/v1/workspaces/w-%zz/rayCluster"},
           {"GET", ""}}) {
    CHECK_FALSE_MESSAGE(route_request(method, path), method, " ", path);
  }
  CHECK(operation_name(Operation::kStop) == "StopRayCluster");
}

TEST_CASE("workspace and cluster id forms") {
  CHECK(is_workspace_id("w-d2d82aa09155"));
  CHECK_FALSE(is_workspace_id("w-"));
  CHECK_FALSE(is_workspace_id("w-ABC"));
  CHECK_FALSE(is_workspace_id("x-abc"));
  CHECK(is_cluster_id("ray-k7nm8ahl5te4tg91"));
  CHECK_FALSE(is_cluster_id("ray-k7nm8ahl5te4tg9"));
}
