// `apply --dry-run`: the request each cluster would become, printed, never sent.
#pragma once

#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "spec/cluster_spec.hpp"

namespace provision::cli {

// A request described for display; secrets in the body are already redacted.
struct PlannedRequest {
  std::string action;                                        // "CreateRayCluster"
  std::string method;                                        // "POST"
  std::string url;                                           // https://<host><path>
  std::vector<std::pair<std::string, std::string>> headers;  // known without credentials
  std::string body;                                          // exact compact body bytes, secrets as "***"
};

PlannedRequest plan_create_request(const spec::ClusterSpec& cluster);

// Text: one block per request. JSON: one object per line
// {"action":…,"method":…,"url":…,"headers":{…},"body":{…}}.
void print_dry_run(const std::vector<spec::ClusterSpec>& clusters, bool json, std::ostream& out);

}  // namespace provision::cli
