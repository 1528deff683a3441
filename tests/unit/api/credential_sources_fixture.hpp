// Credential sources for tests: a fixed environment map, a home folder, and an instance
// metadata address where nothing listens (127.0.0.1:9), so 100.100.100.200 is never used.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "api/credential_plan.hpp"
#include "api/credentials_chain.hpp"
#include "support/text_and_files.hpp"

namespace provision::test {

inline const std::filesystem::path kCredentialFixtures =
    std::filesystem::path(PROVISION_TEST_DATA_DIR) / "credentials";

inline api::CredentialSources sources(std::map<std::string, std::string> env,
                                      std::filesystem::path home = {}) {
  api::CredentialSources s;
  s.getenv = [env = std::move(env)](std::string_view name) -> std::optional<std::string> {
    const auto it = env.find(std::string(name));
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  s.home = std::move(home);
  s.imds.host = "127.0.0.1";
  s.imds.port = 9;
  s.imds.timeout = std::chrono::milliseconds(200);
  s.explicit_profile_origin = "--profile";  // as the CLI names it
  return s;
}

// The message of the Error(kCredentials) that resolving credentials for `profile` throws.
inline std::string credentials_failure(std::string_view profile, const api::CredentialSources& s) {
  return error_message(ErrorKind::kCredentials, [&] { api::resolve_credentials(profile, s); });
}

// The same for planning them (no request is made).
inline std::string plan_failure(std::string_view profile, const api::CredentialSources& s) {
  return error_message(ErrorKind::kCredentials, [&] { api::resolve_credential_plan(profile, s); });
}

}  // namespace provision::test
