// Maps an HTTP method and path to one of the seven Ray-cluster operations (api.md §1.2).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace provision::emulator {

enum class Operation { kCreate, kList, kGet, kUpdate, kDelete, kStart, kStop };

// The x-acs-action name, e.g. "CreateRayCluster".
std::string_view operation_name(Operation operation);

// Whether the operation changes stored clusters (and so is persisted).
bool is_mutation(Operation operation);

struct Route {
  Operation operation;
  std::string workspace_id;  // percent-decoded path segment
  std::string cluster_id;    // empty for Create and List
};

// nullopt when no operation lives at `method` + `path` (path without the query string).
std::optional<Route> route_request(std::string_view method, std::string_view path);

}  // namespace provision::emulator
