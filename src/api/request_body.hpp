// ClusterSpec -> the exact request bytes and URL parts of CreateRayCluster/UpdateRayCluster.
#pragma once

#include <boost/json/value.hpp>
#include <string>

#include "spec/cluster_spec.hpp"

namespace provision::api {

// Compact JSON, byte-for-byte what JSON.stringify gives for the SDK's body: "name" first,
// then the documented key order (doc/spec-format.md); cpu as a string; omitted optional
// fields absent (never null); non-ASCII as raw UTF-8; "/" not escaped. Sign these bytes.
std::string create_body(const spec::ClusterSpec& cluster);

// A copy of a request body with secret fields (headSpec.gftConfig.redisPassword) as "***",
// for display only.
boost::json::value redact_secrets(boost::json::value body);

// "/api/v1/workspaces/<RFC 3986-encoded id>/rayCluster".
std::string cluster_collection_path(const std::string& workspace_id);

// Serialises like JavaScript's JSON.stringify: compact, keys in order, raw UTF-8.
std::string to_json_text(const boost::json::value& value);

}  // namespace provision::api
