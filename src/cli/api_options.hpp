// The command-line options shared by every command that calls the API, and the
// client settings they give (validated up front, so mistakes are usage errors).
#pragma once

#include <string>
#include <vector>

#include "api/credentials_chain.hpp"
#include "api/endpoint.hpp"
#include "api/https_client.hpp"
#include "api/ray_cluster_client.hpp"
#include "cli/command_options.hpp"
#include "cli/option_spec.hpp"

namespace provision::cli {

// --endpoint, --endpoint-type, --sts-endpoint, --ca-file, --profile, --request-timeout, --max-attempts.
std::vector<OptionSpec> api_options();

struct ApiClientSettings {
  std::string endpoint_override;  // "" = the regional endpoint (already checked when given)
  api::EndpointType endpoint_type = api::EndpointType::kPublic;
  std::string sts_endpoint_override;    // --sts-endpoint (checked), "" = ALIBABA_CLOUD_STS_ENDPOINT or STS
  std::string profile;                  // "" = ALIBABA_CLOUD_PROFILE or the config's current
  api::TransportOptions transport;      // ca_file set; timeouts and caps at their defaults
  api::RayClusterClientOptions client;  // call deadline and attempts from the options
};

// api::resolve_endpoint, with the hint for an unknown region that --endpoint reaches any host.
api::ServiceEndpoint service_endpoint(const std::string& region_id, api::EndpointType type,
                                      const std::string& endpoint_override);

// The process's credential sources, with an explicit profile named as --profile in messages.
api::CredentialSources credential_sources();

// Throws Error(kUsage) naming the option for a bad endpoint or STS endpoint, endpoint type or a
// missing --ca-file (the numbers were checked by the parser). With a --parallelism, the
// connection pool holds at least that many connections per host.
ApiClientSettings api_client_settings(const ApiOptions& options);

}  // namespace provision::cli
