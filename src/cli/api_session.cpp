// Wiring of transport, credentials and clients from the command line.
#include "cli/api_session.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdlib>
#include <exception>

#include "api/credential_plan.hpp"
#include "api/credential_providers.hpp"
#include "api/credentials_chain.hpp"
#include "api/endpoint.hpp"
#include "api/https_client.hpp"
#include "cli/state_options.hpp"

namespace provision::cli {

std::vector<OptionSpec> api_session_options() { return api_options(); }

std::vector<OptionSpec> state_and_api_options(const std::vector<OptionSpec>& own) {
  auto options = state_options();
  for (auto& o : api_options()) options.push_back(o);
  for (const auto& o : own) options.push_back(o);
  return options;
}

ApiSession::ApiSession(const ApiOptions& options, const Clock& clock, Random& random)
    : io_(std::make_unique<boost::asio::io_context>()),
      settings_(api_client_settings(options)),
      clock_(clock),
      random_(random) {
  const api::CredentialPlan plan = api::resolve_credential_plan(settings_.profile, credential_sources());
  transport_ = std::make_unique<api::HttpsClient>(*io_, settings_.transport);

  api::StsContext sts;
  sts.transport = transport_.get();
  sts.endpoint_override = settings_.sts_endpoint_override;
  sts.override_origin = "--sts-endpoint";
  if (sts.endpoint_override.empty()) {
    if (const char* env = std::getenv("ALIBABA_CLOUD_STS_ENDPOINT"); env != nullptr && *env != '\0') {
      sts.endpoint_override = env;
      sts.override_origin = "ALIBABA_CLOUD_STS_ENDPOINT";
    }
  }
  sts.clock = &clock_;
  sts.random = &random_;
  sts.options.retry = settings_.client.retry;
  sts.options.call_timeout = settings_.client.call_timeout;
  credentials_ = api::make_credentials_provider(plan, sts);
  if (credentials_->renews()) fetch_first_credentials();
}

void ApiSession::fetch_first_credentials() {
  std::exception_ptr error;
  boost::asio::co_spawn(
      *io_, [provider = credentials_]() -> boost::asio::awaitable<void> { co_await provider->credentials(); },
      [&error](const std::exception_ptr& e) { error = e; });
  io_->restart();
  io_->run();
  if (error) std::rethrow_exception(error);
}

ApiSession::~ApiSession() = default;

api::RayClusterClient& ApiSession::client_for(const std::string& region_id) {
  const api::ServiceEndpoint service =
      service_endpoint(region_id, settings_.endpoint_type, settings_.endpoint_override);
  api::Endpoint target{service.host, service.port};
  const std::string key = target.authority();
  auto& slot = clients_[key];
  if (!slot)
    slot = std::make_unique<api::RayClusterClient>(*transport_, target, credentials_, clock_, random_,
                                                   settings_.client);
  return *slot;
}

}  // namespace provision::cli
