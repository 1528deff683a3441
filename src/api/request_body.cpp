// Body bytes are built once from the ordered ClusterSpec; signing hashes exactly these.
#include "api/request_body.hpp"

#include "core/json_pointer.hpp"
#include "core/percent_encoding.hpp"
#include "spec/json_text.hpp"
#include "spec/secret_fields.hpp"

namespace provision::api {
namespace {

void redact(boost::json::value& value, const std::string& pointer) {
  if (spec::is_secret_body_pointer(pointer)) {
    value = boost::json::string(spec::kRedacted);
    return;
  }
  if (!spec::may_hold_secret_body_pointer(pointer)) return;  // nothing secret below: skip the walk
  if (auto* o = value.if_object()) {
    for (auto& kv : *o) redact(kv.value(), append_pointer(pointer, kv.key()));
  } else if (auto* a = value.if_array()) {
    for (std::size_t i = 0; i < a->size(); ++i) redact((*a)[i], append_pointer(pointer, i));
  }
}

}  // namespace

std::string to_json_text(const boost::json::value& value) { return spec::to_json_text(value); }

std::string create_body(const spec::ClusterSpec& cluster) {
  if (cluster.spec.contains("name")) {  // never from normalize_spec; kept exact for any other caller
    boost::json::object body;
    body["name"] = cluster.name;
    for (const auto& kv : cluster.spec) body[kv.key()] = kv.value();
    return to_json_text(body);
  }
  // {"name":..., then the spec's members}: the same text, without copying the spec into a new object.
  std::string body = "{\"name\":" + to_json_text(boost::json::string_view(cluster.name));
  const std::string members = to_json_text(cluster.spec);  // "{...}"
  if (members.size() > 2) body += ',';
  body.append(members, 1, std::string::npos);
  return body;
}

boost::json::value redact_secrets(boost::json::value body) {
  redact(body, "");
  return body;
}

std::string cluster_collection_path(const std::string& workspace_id) {
  return "/api/v1/workspaces/" + percent_encode(workspace_id) + "/rayCluster";
}

}  // namespace provision::api
