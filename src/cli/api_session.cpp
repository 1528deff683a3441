// Wiring of transport, credentials and clients from the command line.
#include "cli/api_session.hpp"

#include <boost/asio/io_context.hpp>

#include "api/credentials_chain.hpp"
#include "api/endpoint.hpp"
#include "api/https_client.hpp"

namespace provision::cli {

std::vector<OptionSpec> api_session_options() {
  return {
      {"--endpoint", "HOST[:PORT]",
       "send requests here instead of the regional endpoint (e.g. the emulator)"},
      {"--endpoint-type", "TYPE", "public (default) or vpc regional endpoints"},
      {"--ca-file", "FILE", "also trust the CA certificates in this PEM file"},
      {"--profile", "NAME", "aliyun CLI profile for credentials (~/.aliyun/config.json)"},
  };
}

ApiSession::ApiSession(const ParsedArgs& args, const Clock& clock, Random& random)
    : io_(std::make_unique<boost::asio::io_context>()),
      override_(args.get("--endpoint")),
      endpoint_type_(args.get("--endpoint-type", "public")),
      clock_(clock),
      random_(random) {
  api::parse_endpoint_type(endpoint_type_);  // usage error early
  if (!override_.empty()) api::parse_endpoint_override(override_);
  credentials_ = api::resolve_credentials(args.get("--profile"), api::process_credential_sources());
  api::TransportOptions transport;
  transport.ca_file = args.get("--ca-file");
  transport_ = std::make_unique<api::HttpsClient>(*io_, transport);
}

ApiSession::~ApiSession() = default;

api::RayClusterClient& ApiSession::client_for(const std::string& region_id) {
  const api::ServiceEndpoint service =
      api::resolve_endpoint(region_id, api::parse_endpoint_type(endpoint_type_), override_);
  api::Endpoint target{service.host, service.port};
  const std::string key = target.authority();
  auto& slot = clients_[key];
  if (!slot)
    slot = std::make_unique<api::RayClusterClient>(*transport_, target, credentials_, clock_, random_);
  return *slot;
}

}  // namespace provision::cli
