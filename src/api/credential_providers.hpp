// Turns a credential plan into a provider: fixed credentials as they are, role plans as
// RefreshingCredentialsProviders whose renewals call STS (the OIDC token file is read again at
// every renewal; a RAM role asks its source provider first).
#pragma once

#include <memory>
#include <string>

#include "api/credential_plan.hpp"
#include "api/credentials_provider.hpp"
#include "api/https_client.hpp"
#include "api/sts_client.hpp"
#include "core/clock.hpp"

namespace provision::api {

// What role providers need to reach STS; everything referenced must outlive the providers.
struct StsContext {
  HttpsClient* transport = nullptr;
  std::string endpoint_override;  // HOST[:PORT]; "" = each plan's own StsLocation
  std::string override_origin;    // "--sts-endpoint" or "ALIBABA_CLOUD_STS_ENDPOINT", for messages
  const Clock* clock = nullptr;
  Random* random = nullptr;
  StsClientOptions options;
};

// Throws Error(kUsage) for a malformed endpoint override; nothing is sent yet.
std::shared_ptr<CredentialsProvider> make_credentials_provider(const CredentialPlan& plan,
                                                               const StsContext& sts);

// The token in `file`, trailing whitespace removed. Throws Error(kCredentials) naming the file
// and `context` when it cannot be read or is empty; the message never holds the content.
std::string read_oidc_token(const std::string& file, const std::string& context);

}  // namespace provision::api
