// ROA routing: /api/v1/workspaces/{workspaceId}/rayCluster[/{clusterId}[/start|/stop]].
#include "emulator/request_router.hpp"

#include <vector>

#include "core/percent_encoding.hpp"

namespace provision::emulator {
namespace {

// Decoded '/'-separated segments; nullopt on a malformed escape or an empty segment.
std::optional<std::vector<std::string>> split_path(std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    auto segment = percent_decode(path.substr(start, end - start));
    if (!segment || segment->empty()) return std::nullopt;
    out.push_back(*segment);
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string_view operation_name(Operation operation) {
  switch (operation) {
    case Operation::kCreate:
      return "CreateRayCluster";
    case Operation::kList:
      return "ListRayCluster";
    case Operation::kGet:
      return "GetRayCluster";
    case Operation::kUpdate:
      return "UpdateRayCluster";
    case Operation::kDelete:
      return "DeleteRayCluster";
    case Operation::kStart:
      return "StartRayCluster";
    case Operation::kStop:
      return "StopRayCluster";
  }
  return "";
}

bool is_mutation(Operation operation) {
  return operation != Operation::kList && operation != Operation::kGet;
}

std::optional<Route> route_request(std::string_view method, std::string_view path) {
  auto segments = split_path(path);
  if (!segments || segments->size() < 5 || segments->size() > 7) return std::nullopt;
  const auto& s = *segments;
  if (s[0] != "api" || s[1] != "v1" || s[2] != "workspaces" || s[4] != "rayCluster") return std::nullopt;
  Route route{Operation::kList, s[3], ""};
  if (s.size() == 5) {
    if (method == "POST")
      route.operation = Operation::kCreate;
    else if (method == "GET")
      route.operation = Operation::kList;
    else
      return std::nullopt;
    return route;
  }
  route.cluster_id = s[5];
  if (s.size() == 6) {
    if (method == "GET")
      route.operation = Operation::kGet;
    else if (method == "POST")
      route.operation = Operation::kUpdate;
    else if (method == "DELETE")
      route.operation = Operation::kDelete;
    else
      return std::nullopt;
    return route;
  }
  if (method != "POST") return std::nullopt;
  if (s[6] == "start")
    route.operation = Operation::kStart;
  else if (s[6] == "stop")
    route.operation = Operation::kStop;
  else
    return std::nullopt;
  return route;
}

}  // namespace provision::emulator
