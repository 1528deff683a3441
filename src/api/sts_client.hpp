// STS AssumeRole and AssumeRoleWithOIDC over the shared HttpsClient (no Beast here): each
// attempt is built afresh (new Timestamp, nonce and signature), transient failures are retried
// like any idempotent API call, and a failure becomes Error(kCredentials) naming the STS
// operation, host, HTTP status, code and request id, never the token or a secret.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "api/https_client.hpp"
#include "api/retry_policy.hpp"
#include "api/sts_request.hpp"
#include "api/sts_response.hpp"
#include "core/clock.hpp"

namespace provision::api {

struct StsClientOptions {
  RetryOptions retry;
  std::chrono::milliseconds call_timeout{60'000};  // per STS call, retries included
};

class StsClient {
 public:
  // `transport`, `clock` and `random` must outlive the client.
  StsClient(HttpsClient& transport, Endpoint endpoint, const Clock& clock, Random& random,
            StsClientOptions options = {});

  // `context` prefixes error messages and becomes the credentials' source, e.g.
  // "profile 'ci' (mode RamRoleArn) in ~/.aliyun/config.json".
  [[nodiscard]] boost::asio::awaitable<TemporaryCredentials> assume_role(AssumeRoleParams params,
                                                                         Credentials signer,
                                                                         std::string context);
  [[nodiscard]] boost::asio::awaitable<TemporaryCredentials> assume_role_with_oidc(OidcRoleParams params,
                                                                                   std::string context);

  const Endpoint& endpoint() const { return endpoint_; }

 private:
  [[nodiscard]] boost::asio::awaitable<TemporaryCredentials> execute(const std::string& operation,
                                                                     std::function<StsCall()> build,
                                                                     const std::string& context,
                                                                     const std::string& secret);

  HttpsClient& transport_;
  Endpoint endpoint_;
  const Clock& clock_;
  Random& random_;
  StsClientOptions options_;
};

}  // namespace provision::api
