// Finds the credentials to sign with: environment, then the aliyun CLI config file (doc/credentials.md).
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "api/imds_http.hpp"
#include "api/signing/credentials.hpp"

namespace provision::api {

// Value of an environment variable; nullopt when unset.
using EnvironmentLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Everything the chain reads from the outside world, injectable so tests never touch the real
// environment, the real home directory or the real metadata service.
struct CredentialSources {
  EnvironmentLookup getenv;
  std::filesystem::path home;  // empty = unknown
  ImdsEndpoint imds;
};

// The process environment, $HOME (or the password database) and the real metadata service.
CredentialSources process_credential_sources();

// First match wins:
//   1. ALIBABA_CLOUD_ACCESS_KEY_ID + ALIBABA_CLOUD_ACCESS_KEY_SECRET (+ ALIBABA_CLOUD_SECURITY_TOKEN);
//   2. the aliyun CLI config (ALIBABA_CLOUD_CONFIG_FILE or ~/.aliyun/config.json), profile from
//      `explicit_profile` (--profile), else ALIBABA_CLOUD_PROFILE, else the file's "current", else
//      "default"; modes AK, StsToken and EcsRamRole (metadata service).
// Throws Error(kCredentials): with nothing found, listing every place looked; for a broken file,
// a missing profile or an unsupported mode, naming the file, profile and mode. Messages never
// contain a secret or a token.
Credentials resolve_credentials(std::string_view explicit_profile, const CredentialSources& sources);

}  // namespace provision::api
