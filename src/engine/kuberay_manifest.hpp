// A valid cluster spec -> a KubeRay `ray.io/v1` RayCluster manifest, with a finding for
// every spec field that has no KubeRay equivalent (doc/kuberay.md has the mapping table).
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "core/diagnostic.hpp"
#include "spec/cluster_spec.hpp"

namespace provision::engine {

struct KubeRayOptions {
  std::string namespace_name;  // metadata.namespace; "" = the spec's workspaceId
  std::string image;           // every container's image; "" = rayproject/ray:<ray>-py<python>
};

struct KubeRayManifest {
  boost::json::object manifest;  // empty when `diagnostics` has an error
  Diagnostics diagnostics;       // warnings (render.kuberay.unmapped, ...) and errors, located in the spec
};

// Pure: no I/O. The GCS fault-tolerance password becomes a Secret reference
// (<name>-gcs-redis, key "password"); its value is never copied into the manifest.
KubeRayManifest render_kuberay(const spec::ClusterSpec& cluster, const KubeRayOptions& options);

// The Secret that the manifest of cluster `name` refers to for the Redis password.
std::string redis_secret_name(const std::string& name);

}  // namespace provision::engine
