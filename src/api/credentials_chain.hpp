// Finds the credentials to sign with, in the order of the official default chain
// (doc/credentials.md): environment keys, OIDC role, aliyun CLI config, shared INI file, ECS role.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "api/imds_request.hpp"
#include "api/signing/credentials.hpp"

namespace provision::api {
struct CredentialPlan;
}

namespace provision::api {

// Value of an environment variable; nullopt when unset.
using EnvironmentLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Everything the chain reads from the outside world, injectable so tests never touch the real
// environment, the real home directory or the real metadata service.
struct CredentialSources {
  EnvironmentLookup getenv;
  std::filesystem::path home;  // empty = unknown
  ImdsEndpoint imds;
  // How messages name where `explicit_profile` came from; the CLI says "--profile".
  std::string explicit_profile_origin = "the caller";
};

// The process environment, $HOME (or the password database) and the real metadata service.
CredentialSources process_credential_sources();

// First match wins:
//   1. ALIBABA_CLOUD_ACCESS_KEY_ID + ALIBABA_CLOUD_ACCESS_KEY_SECRET (+ ALIBABA_CLOUD_SECURITY_TOKEN);
//   2. the OIDC role: ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and
//      ALIBABA_CLOUD_OIDC_TOKEN_FILE (+ ALIBABA_CLOUD_ROLE_SESSION_NAME);
//   3. the aliyun CLI config (ALIBABA_CLOUD_CONFIG_FILE or ~/.aliyun/config.json), profile from
//      `explicit_profile` (--profile), else ALIBABA_CLOUD_PROFILE, else the file's "current", else
//      "default"; modes AK, StsToken, EcsRamRole, RamRoleArn, OIDC, ChainableRamRoleArn;
//   4. the shared INI file (ALIBABA_CLOUD_CREDENTIALS_FILE or ~/.alibabacloud/credentials),
//      section from --profile, else ALIBABA_CLOUD_PROFILE, else "default";
//   5. the ECS instance role, when ALIBABA_CLOUD_ECS_METADATA names it (and
//      ALIBABA_CLOUD_ECS_METADATA_DISABLED is not true).
// Throws Error(kCredentials): with nothing found, listing every place looked; for a broken file,
// a missing profile or an unsupported mode, naming the file, profile and mode. Messages never
// contain a secret or a token. Nothing here calls STS: role plans are carried out later.
CredentialPlan resolve_credential_plan(std::string_view explicit_profile, const CredentialSources& sources);

// The chain's credentials now: fixed ones, or the ECS role's (fetched); Error(kCredentials)
// when the chain finds a role to assume through STS.
Credentials resolve_credentials(std::string_view explicit_profile, const CredentialSources& sources);

}  // namespace provision::api
