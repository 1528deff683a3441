// Each renewal is a free coroutine taking its inputs by value, so nothing it uses can dangle.
#include "api/credential_providers.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "api/refreshing_credentials.hpp"
#include "api/sts_endpoint.hpp"
#include "core/error.hpp"

namespace provision::api {
namespace {

std::shared_ptr<StsClient> sts_client_for(const StsLocation& location, const StsContext& sts) {
  const ServiceEndpoint e = sts_endpoint(location, sts.endpoint_override, sts.override_origin);
  return std::make_shared<StsClient>(*sts.transport, Endpoint{e.host, e.port}, *sts.clock, *sts.random,
                                     sts.options);
}

boost::asio::awaitable<TemporaryCredentials> renew_oidc(std::shared_ptr<StsClient> client, OidcRolePlan plan,
                                                        std::string context) {
  OidcRoleParams params = plan.params;
  params.oidc_token = read_oidc_token(plan.token_file, context);
  co_return co_await client->assume_role_with_oidc(std::move(params), std::move(context));
}

boost::asio::awaitable<TemporaryCredentials> renew_ram_role(std::shared_ptr<StsClient> client,
                                                            std::shared_ptr<CredentialsProvider> source,
                                                            AssumeRoleParams params, std::string context) {
  Credentials signer = co_await source->credentials();
  co_return co_await client->assume_role(std::move(params), std::move(signer), std::move(context));
}

boost::asio::awaitable<TemporaryCredentials> renew_ecs_role(ImdsOptions imds, const Clock* clock) {
  // The metadata client is synchronous (1 s timeouts per step): a renewal every few hours
  // holds the io thread that long, which is simpler than a second HTTP client.
  co_return fetch_ecs_ram_role_temporary(imds, clock->now() + std::chrono::hours(1));
}

}  // namespace

std::string read_oidc_token(const std::string& file, const std::string& context) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw Error(ErrorKind::kCredentials,
                context + ": cannot read the OIDC token file " + file + ": " + std::strerror(errno));
  std::ostringstream out;
  out << in.rdbuf();
  std::string token = out.str();
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
    token.pop_back();
  if (token.empty())
    throw Error(ErrorKind::kCredentials, context + ": the OIDC token file " + file + " is empty");
  return token;
}

std::shared_ptr<CredentialsProvider> make_credentials_provider(const CredentialPlan& plan,
                                                               const StsContext& sts) {
  if (const auto* fixed = std::get_if<Credentials>(&plan.how))
    return std::make_shared<FixedCredentialsProvider>(*fixed);
  if (const auto* oidc = std::get_if<OidcRolePlan>(&plan.how)) {
    auto client = sts_client_for(oidc->sts, sts);
    auto fetch = [client, role = *oidc, context = plan.description]() {
      return renew_oidc(client, role, context);
    };
    return std::make_shared<RefreshingCredentialsProvider>(std::move(fetch), *sts.clock);
  }
  if (const auto* ecs = std::get_if<EcsRolePlan>(&plan.how)) {
    auto fetch = [imds = ecs->imds, clock = sts.clock]() { return renew_ecs_role(imds, clock); };
    return std::make_shared<RefreshingCredentialsProvider>(std::move(fetch), *sts.clock);
  }
  const auto& role = std::get<RamRolePlan>(plan.how);
  auto client = sts_client_for(role.sts, sts);
  auto source = make_credentials_provider(*role.source, sts);
  auto fetch = [client, source, params = role.params, context = plan.description]() {
    return renew_ram_role(client, source, params, context);
  };
  return std::make_shared<RefreshingCredentialsProvider>(std::move(fetch), *sts.clock);
}

}  // namespace provision::api
