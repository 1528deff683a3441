// The STS request loop: build, send, read; retry what the shared policy calls transient.
#include "api/sts_client.hpp"

#include "api/api_error.hpp"
#include "api/ray_cluster_client.hpp"
#include "core/error.hpp"

namespace provision::api {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Removes every occurrence of `secret` (the OIDC token, a source secret) from server text.
std::string scrub(std::string text, const std::string& secret) {
  if (secret.size() < 4) return text;
  for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at))
    text.replace(at, secret.size(), "***");
  return text;
}

}  // namespace

StsClient::StsClient(HttpsClient& transport, Endpoint endpoint, const Clock& clock, Random& random,
                     StsClientOptions options)
    : transport_(transport),
      endpoint_(std::move(endpoint)),
      clock_(clock),
      random_(random),
      options_(options) {}

boost::asio::awaitable<TemporaryCredentials> StsClient::assume_role(AssumeRoleParams params,
                                                                    Credentials signer, std::string context) {
  const std::string host = endpoint_.authority();
  auto build = [&]() { return assume_role_call(host, params, signer, clock_.now(), random_.hex_nonce()); };
  co_return co_await execute("AssumeRole", build, context, signer.access_key_secret);
}

boost::asio::awaitable<TemporaryCredentials> StsClient::assume_role_with_oidc(OidcRoleParams params,
                                                                              std::string context) {
  const std::string host = endpoint_.authority();
  auto build = [&]() { return assume_role_with_oidc_call(host, params, clock_.now()); };
  co_return co_await execute("AssumeRoleWithOIDC", build, context, params.oidc_token);
}

boost::asio::awaitable<TemporaryCredentials> StsClient::execute(const std::string& operation,
                                                                std::function<StsCall()> build,
                                                                const std::string& context,
                                                                const std::string& secret) {
  const std::string host = endpoint_.authority();
  const auto deadline = SteadyClock::now() + options_.call_timeout;
  for (int attempt = 1;; ++attempt) {
    StsCall call = build();
    HttpRequest wire{call.parts.method, wire_target(call.parts), std::move(call.parts.headers),
                     std::move(call.parts.body)};
    TransportResult result = co_await transport_.send(endpoint_, std::move(wire), deadline);

    std::optional<ApiFailure> failure;
    AttemptFailure attempt_failure;
    attempt_failure.idempotent = true;  // a second set of temporary credentials is harmless
    if (const auto* error = std::get_if<TransportError>(&result)) {
      failure = transport_failure(operation, host,
                                  error->tls_refused ? FailureKind::kFinal : FailureKind::kRetryable,
                                  error->reason, error->hint);
    } else {
      const auto& response = std::get<HttpResponse>(result);
      if (response.status >= 200 && response.status < 300) {
        auto parsed = parse_sts_credentials(response.body, context);
        if (auto* creds = std::get_if<TemporaryCredentials>(&parsed)) co_return std::move(*creds);
        throw Error(ErrorKind::kCredentials, context + ": STS " + operation + " on host " + host +
                                                 " answered HTTP " + std::to_string(response.status) +
                                                 " but " + std::get<std::string>(parsed));
      }
      failure = http_failure(operation, host, response.status, response.headers, response.body, true);
      attempt_failure.server_wait = server_wait_hint(response.headers, clock_);
    }
    attempt_failure.kind = failure->kind;
    attempt_failure.throttled = failure->throttled;
    const RetryDecision decision = decide_retry(options_.retry, attempt_failure, attempt, random_);
    if (!decision.retry || SteadyClock::now() + decision.delay >= deadline) {
      failure->attempts = attempt;
      update_message(*failure);
      throw Error(ErrorKind::kCredentials, context + ": STS " + scrub(failure->message, secret),
                  failure->hint);
    }
    co_await transport_.sleep_for(decision.delay);
  }
}

}  // namespace provision::api
