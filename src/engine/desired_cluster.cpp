// The body is built once here; what is hashed is exactly what is sent.
#include "engine/desired_cluster.hpp"

#include <boost/json.hpp>

#include "api/request_body.hpp"
#include "api/signing/digest.hpp"

namespace provision::engine {

DesiredCluster desired_from_spec(const spec::ClusterSpec& cluster) {
  DesiredCluster d;
  d.identity = {cluster.region_id, cluster.workspace_id, cluster.name};
  d.spec_file = cluster.location.file;
  d.body = api::create_body(cluster);
  d.body_sha256 = api::hex_sha256(d.body);
  boost::json::value redacted = api::redact_secrets(boost::json::parse(d.body));
  d.redacted_body = std::move(redacted.as_object());
  return d;
}

std::vector<DesiredCluster> desired_from_specs(const std::vector<spec::ClusterSpec>& clusters) {
  std::vector<DesiredCluster> out;
  out.reserve(clusters.size());
  for (const auto& c : clusters) out.push_back(desired_from_spec(c));
  return out;
}

}  // namespace provision::engine
