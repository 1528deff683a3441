// Record <-> JSON, and the two response projections.
#include "emulator/cluster_record.hpp"

#include <boost/json.hpp>

namespace provision::emulator {
namespace {

namespace json = boost::json;

constexpr std::string_view kUserId = "1234567890123456";
constexpr std::string_view kUserName = "emulator-user";
constexpr std::string_view kGateway = "emr-ray-gateway.emulator.invalid";

std::string string_of(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t int_of(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_int64() ? v->get_int64() : 0;
}

}  // namespace

std::string_view state_name(ClusterState state) {
  switch (state) {
    case ClusterState::kStarting:
      return "Starting";
    case ClusterState::kRunning:
      return "Running";
    case ClusterState::kStopping:
      return "Stopping";
    case ClusterState::kStopped:
      return "Stopped";
    case ClusterState::kError:
      return "Error";
  }
  return "Error";
}

std::optional<ClusterState> parse_state(std::string_view name) {
  for (ClusterState s : {ClusterState::kStarting, ClusterState::kRunning, ClusterState::kStopping,
                         ClusterState::kStopped, ClusterState::kError}) {
    if (state_name(s) == name) return s;
  }
  return std::nullopt;
}

json::object record_to_json(const ClusterRecord& r) {
  json::object o;
  o["clusterId"] = r.cluster_id;
  o["workspaceId"] = r.workspace_id;
  o["instanceId"] = r.instance_id;
  o["submitToken"] = r.submit_token;
  o["spec"] = r.spec;
  o["state"] = state_name(r.state);
  o["message"] = r.message;
  o["createTime"] = r.create_time_ms;
  o["startTime"] = r.start_time_ms;
  o["modifiedTime"] = r.modified_time_ms;
  o["transitionDue"] = r.transition_due_ms;
  o["modified"] = r.modified;
  o["lastStartToken"] = r.last_start_token;
  o["sequence"] = r.sequence;
  return o;
}

std::optional<ClusterRecord> record_from_json(const json::value& value) {
  const json::object* o = value.if_object();
  if (!o) return std::nullopt;
  ClusterRecord r;
  r.cluster_id = string_of(*o, "clusterId");
  r.workspace_id = string_of(*o, "workspaceId");
  r.instance_id = string_of(*o, "instanceId");
  r.submit_token = string_of(*o, "submitToken");
  const json::value* spec = o->if_contains("spec");
  auto state = parse_state(string_of(*o, "state"));
  if (r.cluster_id.empty() || r.workspace_id.empty() || !spec || !spec->is_object() || !state)
    return std::nullopt;
  r.spec = spec->get_object();
  r.state = *state;
  r.message = string_of(*o, "message");
  r.create_time_ms = int_of(*o, "createTime");
  r.start_time_ms = int_of(*o, "startTime");
  r.modified_time_ms = int_of(*o, "modifiedTime");
  r.transition_due_ms = int_of(*o, "transitionDue");
  const json::value* modified = o->if_contains("modified");
  r.modified = modified && modified->is_bool() && modified->get_bool();
  r.last_start_token = string_of(*o, "lastStartToken");
  const json::value* sequence = o->if_contains("sequence");
  if (sequence && sequence->is_uint64()) r.sequence = sequence->get_uint64();
  if (sequence && sequence->is_int64() && sequence->get_int64() >= 0)
    r.sequence = static_cast<std::uint64_t>(sequence->get_int64());
  return r;
}

json::object get_view(const ClusterRecord& r) {
  json::object o;
  o["clusterId"] = r.cluster_id;
  // The stored spec fields exactly as received: an absent field stays absent.
  for (const char* key : {"name", "description", "displayReleaseVersion", "networkServiceName", "extraParam",
                          "volumeIds", "headSpec", "workerSpec"}) {
    if (const json::value* v = r.spec.if_contains(key)) o[key] = *v;
  }
  o["state"] = state_name(r.state);
  o["message"] = r.message.empty() ? "ok" : r.message;
  o["createTime"] = r.create_time_ms;
  o["startTime"] = r.start_time_ms;
  o["modifiedTime"] = r.modified_time_ms;
  o["creator"] = kUserId;
  o["creatorName"] = kUserName;
  o["modifier"] = kUserId;
  o["modifierName"] = kUserName;
  o["userId"] = kUserId;
  o["modified"] = r.modified;
  o["instanceId"] = r.instance_id;
  o["dashboardUrl"] = "https://" + std::string(kGateway) + "/workspace/" + r.workspace_id + "/raycluster/" +
                      r.cluster_id + "/dashboard?token=" + r.submit_token;
  o["jobUrl"] = "https://" + std::string(kGateway);
  o["jobUrlInner"] = "http://" + std::string(kGateway);
  o["grpcEndpoint"] = "ray://" + std::string(kGateway) + ":80";
  o["submitToken"] = r.submit_token;
  json::array instances;
  if (r.state == ClusterState::kStarting || r.state == ClusterState::kRunning ||
      r.state == ClusterState::kStopping) {
    json::object pod;
    const std::string& id = r.instance_id;
    pod["instanceId"] = r.cluster_id + "-head-" + (id.size() > 5 ? id.substr(id.size() - 5) : id);
    pod["type"] = "Head";
    pod["phase"] = r.state == ClusterState::kStarting ? "Pending" : "Running";
    pod["createTime"] = r.start_time_ms;
    pod["startTime"] = r.start_time_ms;
    instances.push_back(std::move(pod));
  }
  o["instances"] = std::move(instances);
  return o;
}

json::object list_view(const ClusterRecord& r) {
  json::object o = get_view(r);
  for (const char* key : {"jobUrl", "jobUrlInner", "submitToken", "instances", "volumeIds", "extraParam"})
    o.erase(key);
  return o;
}

}  // namespace provision::emulator
