// The shared credentials file of Alibaba's SDKs (api.md §5.1 step 4): INI,
// ALIBABA_CLOUD_CREDENTIALS_FILE or ~/.alibabacloud/credentials, one section per profile.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/credential_plan.hpp"
#include "api/credentials_chain.hpp"

namespace provision::api {

struct IniSection {
  std::string name;
  int line = 0;                             // 1-based line of the [name] header
  std::map<std::string, std::string> keys;  // trimmed; later duplicates win, as in ini.v1
};

// "[name]" headers, "key = value" lines, blank lines and ';' / '#' comments. Throws
// Error(kCredentials) "<origin>:<line>: ..." for anything else (never echoing the line: it may
// hold a secret) and for a key before the first section.
std::vector<IniSection> parse_ini(std::string_view text, const std::string& origin);

// The plan of the section named `explicit_profile`, else ALIBABA_CLOUD_PROFILE, else "default",
// in `file` (which exists). Types: access_key (access_key_id, access_key_secret), ecs_ram_role
// (role_name), ram_role_arn (access_key_id, access_key_secret, role_arn, role_session_name,
// policy, role_session_expiration), oidc_role_arn (role_arn, oidc_provider_arn,
// oidc_token_file_path, role_session_name, policy, role_session_expiration); sts_region and
// enable_vpc are read for both role types. Throws Error(kCredentials) naming file, section and key.
CredentialPlan plan_from_ini_file(const std::filesystem::path& file, std::string_view explicit_profile,
                                  const CredentialSources& sources);

}  // namespace provision::api
