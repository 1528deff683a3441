// What the credential chain found, before any network call: fixed credentials, a role to
// assume through STS (with OIDC, or with other credentials as the source), or the ECS role. The session turns
// a plan into a provider (credential_providers.hpp); tests inspect plans directly.
#pragma once

#include <memory>
#include <string>
#include <variant>

#include "api/imds_credentials.hpp"
#include "api/signing/credentials.hpp"
#include "api/sts_request.hpp"

namespace provision::api {

// Where STS is, as the source configured it; an --sts-endpoint override wins over both.
struct StsLocation {
  std::string region;  // "" = the central sts.aliyuncs.com
  bool vpc = false;    // sts-vpc.<region>.aliyuncs.com (needs a region)
};

// AssumeRoleWithOIDC with the token read from `token_file` at every renewal.
struct OidcRolePlan {
  OidcRoleParams params;  // oidc_token left empty: read from token_file
  std::string token_file;
  StsLocation sts;
};

struct CredentialPlan;

// AssumeRole signed with the credentials of `source` (fixed keys, or another role).
struct RamRolePlan {
  AssumeRoleParams params;
  std::shared_ptr<const CredentialPlan> source;
  StsLocation sts;
};

// The ECS instance role: fetched from the metadata service now, and again before it expires.
struct EcsRolePlan {
  ImdsOptions imds;
};

struct CredentialPlan {
  std::string description;  // for messages: "OIDC role from the environment", "profile 'ci' (mode OIDC) in …"
  std::variant<Credentials, OidcRolePlan, RamRolePlan, EcsRolePlan> how;
};

}  // namespace provision::api
