// Wiring of transport, credentials and clients from the command line.
#include "cli/api_session.hpp"

#include <algorithm>
#include <boost/asio/io_context.hpp>

#include "api/credentials_chain.hpp"
#include "api/endpoint.hpp"
#include "api/https_client.hpp"

namespace provision::cli {

std::vector<OptionSpec> api_session_options() { return api_options(); }

ApiSession::ApiSession(const ParsedArgs& args, const Clock& clock, Random& random)
    : io_(std::make_unique<boost::asio::io_context>()),
      settings_(api_client_settings(args)),
      clock_(clock),
      random_(random) {
  credentials_ = api::resolve_credentials(settings_.profile, api::process_credential_sources());
  // One keep-alive connection per cluster worked on at once, so the pool never caps
  // --parallelism (apply and destroy; other commands keep the transport's default).
  if (args.has("--parallelism"))
    settings_.transport.max_connections_per_host =
        std::max<std::size_t>(settings_.transport.max_connections_per_host,
                              static_cast<std::size_t>(args.get_int("--parallelism", 10, 1, 1000)));
  transport_ = std::make_unique<api::HttpsClient>(*io_, settings_.transport);
}

ApiSession::~ApiSession() = default;

api::RayClusterClient& ApiSession::client_for(const std::string& region_id) {
  const api::ServiceEndpoint service =
      api::resolve_endpoint(region_id, settings_.endpoint_type, settings_.endpoint_override);
  api::Endpoint target{service.host, service.port};
  const std::string key = target.authority();
  auto& slot = clients_[key];
  if (!slot)
    slot = std::make_unique<api::RayClusterClient>(*transport_, target, credentials_, clock_, random_,
                                                   settings_.client);
  return *slot;
}

}  // namespace provision::cli
