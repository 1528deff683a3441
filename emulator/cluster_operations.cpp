// One function per operation; each checks the workspace, the cluster and its state.
#include "emulator/cluster_operations.hpp"

#include <boost/json.hpp>
#include <variant>

#include "emulator/cluster_validation.hpp"
#include "emulator/ids.hpp"

namespace provision::emulator {
namespace {

namespace json = boost::json;

constexpr int kMaxPageSize = 100;
constexpr std::int64_t kMaxPageNum = 1'000'000;

OperationResult fail(ApiError error) {
  OperationResult r;
  r.error = std::move(error);
  return r;
}

// A decimal query parameter in [min, max], or the default when absent.
std::variant<std::int64_t, ApiError> page_parameter(const api::NameValueList& query, std::string_view name,
                                                    std::int64_t fallback, std::int64_t min,
                                                    std::int64_t max) {
  const std::string range = "must be an integer from " + std::to_string(min) + " to " + std::to_string(max);
  for (const auto& [key, value] : query) {
    if (key != name) continue;
    if (value.empty() || value.size() > 9 || value.find_first_not_of("0123456789") != std::string::npos)
      return invalid_parameter(std::string(name), range + ", got \"" + value + "\"");
    std::int64_t n = std::stoll(value);
    if (n < min || n > max) return invalid_parameter(std::string(name), range + ", got " + value);
    return n;
  }
  return fallback;
}

// Optional JSON object body of Start/Stop: {} when empty.
std::variant<json::object, ApiError> optional_object_body(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return json::object();
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return invalid_parameter("body", "is not valid JSON (" + ec.message() + ")");
  if (!v.is_object()) return invalid_parameter("body", "must be a JSON object");
  return v.get_object();
}

std::variant<std::string, ApiError> optional_string(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return std::string();
  if (!v->is_string()) return invalid_parameter(std::string(key), "must be a string");
  return std::string(v->get_string());
}

ApiError denied(const ClusterRecord& r, std::string_view operation, std::string_view hint) {
  return operation_denied("The operation " + std::string(operation) +
                          " is not allowed while the Ray cluster \"" + r.cluster_id + "\" is " +
                          std::string(state_name(r.state)) + "; " + std::string(hint) + ".");
}

void begin_transition(ClusterRecord& r, ClusterState state, const OperationContext& ctx) {
  r.state = state;
  r.transition_due_ms = ctx.now_ms + ctx.transition_ms;
}

OperationResult create(const Route& route, const api::HttpRequestParts& request, OperationContext& ctx) {
  auto spec = validate_cluster_body(request.body);
  if (auto* e = std::get_if<ApiError>(&spec)) return fail(*e);
  ClusterRecord r;
  do r.cluster_id = make_cluster_id(ctx.random);
  while (ctx.store.contains_id(r.cluster_id));
  r.workspace_id = route.workspace_id;
  r.instance_id = make_instance_id(r.cluster_id, ctx.random);
  r.submit_token = ctx.random.hex_nonce();
  r.spec = std::move(std::get<json::object>(spec));
  r.create_time_ms = r.start_time_ms = r.modified_time_ms = ctx.now_ms;
  begin_transition(r, ClusterState::kStarting, ctx);
  OperationResult result;
  result.body["clusterId"] = ctx.store.insert(std::move(r)).cluster_id;
  result.committed = true;
  return result;
}

OperationResult list(const Route& route, const api::HttpRequestParts& request, OperationContext& ctx) {
  auto num = page_parameter(request.query, "pageNum", 1, 1, kMaxPageNum);
  if (auto* e = std::get_if<ApiError>(&num)) return fail(*e);
  auto size = page_parameter(request.query, "pageSize", 20, 1, kMaxPageSize);
  if (auto* e = std::get_if<ApiError>(&size)) return fail(*e);
  const auto page_size = static_cast<std::size_t>(std::get<std::int64_t>(size));
  const auto first = static_cast<std::size_t>(std::get<std::int64_t>(num) - 1) * page_size;
  const auto all = ctx.store.list(route.workspace_id);
  json::array items;
  for (std::size_t i = first; i < all.size() && items.size() < page_size; ++i)
    items.push_back(list_view(*all[i]));
  OperationResult result;
  result.body["rayClusters"] = std::move(items);
  return result;
}

OperationResult update(ClusterRecord& r, const api::HttpRequestParts& request, OperationContext& ctx) {
  auto spec = validate_cluster_body(request.body);
  if (auto* e = std::get_if<ApiError>(&spec)) return fail(*e);
  if (r.state == ClusterState::kStarting || r.state == ClusterState::kStopping)
    return fail(denied(r, "UpdateRayCluster", "wait until it is Running or Stopped"));
  r.spec = std::move(std::get<json::object>(spec));
  r.modified = true;
  r.modified_time_ms = ctx.now_ms;
  OperationResult result;
  result.body["clusterId"] = r.cluster_id;
  result.committed = true;
  return result;
}

OperationResult start(ClusterRecord& r, const api::HttpRequestParts& request, OperationContext& ctx) {
  auto body = optional_object_body(request.body);
  if (auto* e = std::get_if<ApiError>(&body)) return fail(*e);
  auto token = optional_string(std::get<json::object>(body), "clientToken");
  if (auto* e = std::get_if<ApiError>(&token)) return fail(*e);
  const std::string& client_token = std::get<std::string>(token);
  OperationResult result;
  bool running = r.state == ClusterState::kStarting || r.state == ClusterState::kRunning;
  if (running && !client_token.empty() && client_token == r.last_start_token)
    return result;  // idempotent retry
  if (r.state != ClusterState::kStopped)
    return fail(denied(r, "StartRayCluster", "only a Stopped cluster starts"));
  begin_transition(r, ClusterState::kStarting, ctx);
  r.start_time_ms = ctx.now_ms;
  r.modified = false;  // the running cluster now has the stored configuration
  r.message.clear();
  r.last_start_token = client_token;
  result.committed = true;
  return result;
}

OperationResult stop(ClusterRecord& r, const api::HttpRequestParts& request, OperationContext& ctx) {
  auto body = optional_object_body(request.body);
  if (auto* e = std::get_if<ApiError>(&body)) return fail(*e);
  auto instance = optional_string(std::get<json::object>(body), "instanceId");
  if (auto* e = std::get_if<ApiError>(&instance)) return fail(*e);
  const std::string& instance_id = std::get<std::string>(instance);
  if (!instance_id.empty() && instance_id != r.instance_id)
    return fail(
        invalid_parameter("instanceId", "\"" + instance_id + "\" is not an instance of " + r.cluster_id));
  if (r.state != ClusterState::kStarting && r.state != ClusterState::kRunning)
    return fail(denied(r, "StopRayCluster", "only a Starting or Running cluster stops"));
  begin_transition(r, ClusterState::kStopping, ctx);
  OperationResult result;
  result.committed = true;
  return result;
}

OperationResult remove(ClusterRecord& r, OperationContext& ctx) {
  if (r.state != ClusterState::kStopped && r.state != ClusterState::kError)
    return fail(denied(r, "DeleteRayCluster", "stop it and wait for Stopped first"));
  ctx.store.erase(r.cluster_id);
  OperationResult result;
  result.committed = true;
  return result;
}

}  // namespace

OperationResult run_operation(const Route& route, const api::HttpRequestParts& request,
                              OperationContext& ctx) {
  if (!is_workspace_id(route.workspace_id)) return fail(workspace_not_found(route.workspace_id));
  ctx.store.settle(ctx.now_ms);
  OperationResult result;
  if (route.operation == Operation::kCreate) {
    result = create(route, request, ctx);
  } else if (route.operation == Operation::kList) {
    result = list(route, request, ctx);
  } else {
    ClusterRecord* r = ctx.store.find(route.workspace_id, route.cluster_id);
    if (!r) return fail(cluster_not_found(route.cluster_id));
    switch (route.operation) {
      case Operation::kGet:
        result.body = get_view(*r);
        break;
      case Operation::kUpdate:
        result = update(*r, request, ctx);
        break;
      case Operation::kStart:
        result = start(*r, request, ctx);
        break;
      case Operation::kStop:
        result = stop(*r, request, ctx);
        break;
      case Operation::kDelete:
        result = remove(*r, ctx);
        break;
      case Operation::kCreate:
      case Operation::kList:
        break;
    }
  }
  // Persist the changed cluster with the commit (Create and Delete mark theirs themselves).
  if (result.committed && route.operation != Operation::kCreate && route.operation != Operation::kDelete)
    ctx.store.touch(route.cluster_id);
  // A zero --start-delay completes transitions within the same request.
  if (result.committed) ctx.store.settle(ctx.now_ms);
  return result;
}

}  // namespace provision::emulator
