// The body key order lives here (and in doc/spec-format.md): it follows the API
// reference's field order, so bodies are byte-for-byte stable.
#include "spec/spec_normalizer.hpp"

#include <string_view>
#include <vector>

#include "spec/json_text.hpp"

namespace provision::spec {
namespace {

using Order = std::vector<std::string_view>;

const Order kSpecOrder = {"displayReleaseVersion",
                          "description",
                          "networkServiceName",
                          "extraParam",
                          "volumeIds",
                          "headSpec",
                          "workerSpec"};
const Order kHeadOrder = {"queueName",
                          "cpu",
                          "memory",
                          "enableAutoScaling",
                          "idleTimeoutSeconds",
                          "gpuSpec",
                          "displayReleaseVersion",
                          "env",
                          "rayStartParams",
                          "gftEnabled",
                          "gftConfig"};
const Order kGftOrder = {"redisUrl", "redisUsername", "redisPassword"};
const Order kWorkerOrder = {"groupName", "workerType",     "replica",    "queueName", "cpu",
                            "memory",    "minReplica",     "maxReplica", "gpuSpec",   "displayReleaseVersion",
                            "env",       "rayStartParams", "extraParam"};

boost::json::value convert_field(std::string_view key, const boost::json::value& value);

boost::json::object ordered(const boost::json::object& in, const Order& order) {
  boost::json::object out;
  for (auto key : order)
    if (const boost::json::value* v = in.if_contains(key)) out[key] = convert_field(key, *v);
  return out;
}

boost::json::value convert_field(std::string_view key, const boost::json::value& value) {
  if (key == "cpu" && value.is_int64()) return boost::json::string(std::to_string(value.as_int64()));
  if (key == "extraParam" && value.is_object()) return boost::json::string(to_json_text(value));
  if (key == "headSpec" && value.is_object()) return ordered(value.as_object(), kHeadOrder);
  if (key == "gftConfig" && value.is_object()) return ordered(value.as_object(), kGftOrder);
  if (key == "workerSpec" && value.is_array()) {
    boost::json::array groups;
    for (const auto& g : value.as_array())
      groups.push_back(g.is_object() ? ordered(g.as_object(), kWorkerOrder) : g);
    return groups;
  }
  return value;
}

std::string string_at(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

ClusterSpec normalize_spec(const boost::json::object& document, SourceLocation location) {
  ClusterSpec out;
  if (const auto* metadata = document.if_contains("metadata"); metadata && metadata->is_object()) {
    out.name = string_at(metadata->as_object(), "name");
    out.workspace_id = string_at(metadata->as_object(), "workspaceId");
    out.region_id = string_at(metadata->as_object(), "regionId");
  }
  if (const auto* spec = document.if_contains("spec"); spec && spec->is_object())
    out.spec = ordered(spec->as_object(), kSpecOrder);
  out.location = std::move(location);
  return out;
}

}  // namespace provision::spec
