// `apply --dry-run`: the request each cluster would become, printed, never sent.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/endpoint.hpp"
#include "api/signing/credentials.hpp"
#include "cli/command_options.hpp"
#include "core/clock.hpp"
#include "spec/cluster_spec.hpp"

namespace provision::cli {

// A request described for display; secrets in the body are already redacted.
struct PlannedRequest {
  std::string action;                                        // "CreateRayCluster"
  std::string method;                                        // "POST"
  std::string url;                                           // https://<host><path>
  std::vector<std::pair<std::string, std::string>> headers;  // as they would be sent, credentials masked
  std::string body;                                          // exact compact body bytes, secrets as "***"
};

// Where the requests would go (the real apply's endpoint options) and, when credentials
// are configured, what signs them: then the headers are the signed ones, redacted.
struct DryRunTarget {
  api::EndpointType endpoint_type = api::EndpointType::kPublic;
  std::string endpoint_override;  // --endpoint, "" for the regional endpoint
  std::optional<api::Credentials> credentials;
  const Clock* clock = nullptr;  // both set when credentials are
  Random* random = nullptr;
};

// The target from apply's options (--endpoint, --endpoint-type, --profile). Credentials are
// optional: none found means unsigned headers, except that an explicit --profile that
// cannot be used is an error.
DryRunTarget dry_run_target(const ApiOptions& options, const Clock& clock, Random& random);

PlannedRequest plan_create_request(const spec::ClusterSpec& cluster, const DryRunTarget& target = {});

// Text: one block per request. JSON: one object per line
// {"action":…,"method":…,"url":…,"headers":{…},"body":{…}}.
void print_dry_run(const std::vector<spec::ClusterSpec>& clusters, const DryRunTarget& target, bool json,
                   std::ostream& out);

}  // namespace provision::cli
