// ECS instance RAM role credentials from the metadata service (api.md §5.3), IMDSv2 first.
#pragma once

#include <string>

#include "api/imds_request.hpp"
#include "api/signing/credentials.hpp"
#include "api/sts_response.hpp"

namespace provision::api {

struct ImdsOptions {
  ImdsEndpoint endpoint;
  std::string role_name;         // empty = discover it from the metadata service
  bool imdsv1_disabled = false;  // ALIBABA_CLOUD_IMDSV1_DISABLED=true: the token step must succeed
  std::string context;           // prefix for messages, e.g. "profile 'ecs' (mode EcsRamRole)"
};

// PUT /latest/api/token (TTL 21600 s), then GET the role name if not given, then GET the role's
// credentials, sending the token when there is one. Throws Error(kCredentials) naming the step
// and the endpoint; never includes the response body, the secret or the token in a message.
Credentials fetch_ecs_ram_role_credentials(const ImdsOptions& options);

// The same, with the answer's Expiration; `fallback` when it has none (or an unreadable one).
TemporaryCredentials fetch_ecs_ram_role_temporary(const ImdsOptions& options,
                                                  std::chrono::system_clock::time_point fallback);

}  // namespace provision::api
