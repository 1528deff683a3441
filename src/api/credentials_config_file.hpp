// Reads one profile's credentials from an aliyun CLI config.json (api.md §5.2).
#pragma once

#include <filesystem>
#include <string>

#include "api/credentials_chain.hpp"

namespace provision::api {

// Which profile to use and why (for messages).
struct ProfileChoice {
  std::string name;
  std::string
      chosen_by;  // "--profile", "ALIBABA_CLOUD_PROFILE", "the file's \"current\"", "the default name"
};

// Credentials of the chosen profile in `file` (which exists). Modes (case-insensitive): AK,
// StsToken, EcsRamRole. Throws Error(kCredentials) for malformed JSON (with line:column), wrong
// types (with a JSON pointer), a missing profile (listing those present), a missing key or an
// unsupported mode.
Credentials credentials_from_config_file(const std::filesystem::path& file, std::string_view explicit_profile,
                                         const CredentialSources& sources);

}  // namespace provision::api
