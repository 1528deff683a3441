// Reads one profile's credentials from an aliyun CLI config.json (api.md §5.2).
#pragma once

#include <filesystem>
#include <string>

#include "api/credential_plan.hpp"
#include "api/credentials_chain.hpp"

namespace provision::api {

// Which profile to use and why (for messages).
struct ProfileChoice {
  std::string name;
  std::string chosen_by;  // explicit_profile_origin, "ALIBABA_CLOUD_PROFILE", "the file's \"current\"", "the
                          // default name"
};

// The plan of the chosen profile in `file` (which exists). Modes (case-insensitive): AK,
// StsToken, EcsRamRole (fetched from the metadata service now), RamRoleArn, OIDC and
// ChainableRamRoleArn (its source_profile resolved recursively). Throws Error(kCredentials) for
// malformed JSON (with line:column), wrong types (with a JSON pointer), a missing profile
// (listing those present), a missing key, a bad expired_seconds or an unsupported mode.
CredentialPlan plan_from_config_file(const std::filesystem::path& file, std::string_view explicit_profile,
                                     const CredentialSources& sources);

}  // namespace provision::api
