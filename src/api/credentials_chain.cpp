// The credential chain: each source either yields credentials, fails loudly, or says why it was skipped.
#include "api/credentials_chain.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "api/credential_plan.hpp"
#include "api/credentials_config_file.hpp"
#include "api/credentials_ini_file.hpp"
#include "api/imds_credentials.hpp"
#include "api/role_settings.hpp"
#include "api/signing/http_request_parts.hpp"
#include "core/error.hpp"

namespace provision::api {
namespace {

constexpr const char* kIdVar = "ALIBABA_CLOUD_ACCESS_KEY_ID";
constexpr const char* kSecretVar = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
constexpr const char* kTokenVar = "ALIBABA_CLOUD_SECURITY_TOKEN";

std::string env_or_empty(const CredentialSources& s, std::string_view name) {
  return s.getenv(name).value_or("");
}

// Credentials from the environment, nullopt when neither variable is set.
std::optional<Credentials> from_environment(const CredentialSources& s) {
  const std::string id = env_or_empty(s, kIdVar);
  const std::string secret = env_or_empty(s, kSecretVar);
  if (id.empty() && secret.empty()) return std::nullopt;
  if (id.empty() || secret.empty()) {
    throw Error(ErrorKind::kCredentials,
                std::string(id.empty() ? kSecretVar : kIdVar) + " is set but " +
                    (id.empty() ? kIdVar : kSecretVar) +
                    " is not: set both, or unset both to use the aliyun CLI config file");
  }
  const std::string token = env_or_empty(s, kTokenVar);
  return Credentials{
      id, secret, token,
      std::string("environment (") + kIdVar + (token.empty() ? "" : std::string(", ") + kTokenVar) + ")"};
}

// The OIDC role when ALIBABA_CLOUD_OIDC_TOKEN_FILE or the role variables are set; a token file
// without its role or provider ARN is an error, a role ARN alone is noted and skipped.
std::optional<CredentialPlan> from_oidc_environment(const CredentialSources& s,
                                                    std::vector<std::string>& looked) {
  const std::string role = env_or_empty(s, "ALIBABA_CLOUD_ROLE_ARN");
  const std::string provider = env_or_empty(s, "ALIBABA_CLOUD_OIDC_PROVIDER_ARN");
  const std::string token_file = env_or_empty(s, "ALIBABA_CLOUD_OIDC_TOKEN_FILE");
  if (role.empty() && provider.empty() && token_file.empty()) {
    looked.push_back(
        "OIDC role: ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and "
        "ALIBABA_CLOUD_OIDC_TOKEN_FILE are not set");
    return std::nullopt;
  }
  std::string missing;
  for (const auto& [name, value] :
       {std::pair<const char*, const std::string*>{"ALIBABA_CLOUD_ROLE_ARN", &role},
        {"ALIBABA_CLOUD_OIDC_PROVIDER_ARN", &provider},
        {"ALIBABA_CLOUD_OIDC_TOKEN_FILE", &token_file}})
    if (value->empty()) missing += std::string(missing.empty() ? "" : ", ") + name;
  if (!missing.empty()) {
    if (!token_file.empty() || !provider.empty())
      throw Error(ErrorKind::kCredentials,
                  "OIDC role from the environment: " + missing +
                      " is not set (all three of ALIBABA_CLOUD_ROLE_ARN, "
                      "ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE "
                      "are needed)");
    looked.push_back("OIDC role: ALIBABA_CLOUD_ROLE_ARN is set but " + missing + " are not");
    return std::nullopt;
  }
  OidcRoleFields fields;
  fields.role_arn = role;
  fields.oidc_provider_arn = provider;
  fields.token_file = token_file;
  fields.sts = role_sts_location("", "", s);
  return CredentialPlan{
      "OIDC role from the environment (ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE)",
      oidc_role_plan(std::move(fields), s)};
}

// `variable` if set, else ~/<home_relative>; nullopt (with a note in `looked`) when absent.
std::optional<std::filesystem::path> locate(const CredentialSources& s, const char* variable,
                                            const char* home_relative, const std::string& what,
                                            std::vector<std::string>& looked) {
  std::filesystem::path file;
  std::string origin;
  if (auto v = s.getenv(variable); v && !v->empty()) {
    file = *v;
    origin = std::string(" (from ") + variable + ")";
  } else if (!s.home.empty()) {
    file = s.home / home_relative;
  }
  std::error_code ec;
  if (!file.empty() && std::filesystem::exists(file, ec)) return file;
  looked.push_back(file.empty() ? what + ": no home directory and " + variable + " is not set"
                                : what + ": " + file.string() + origin + " does not exist");
  return std::nullopt;
}

// The ECS instance role, only when ALIBABA_CLOUD_ECS_METADATA names it: without it, a machine
// outside ECS would wait for 100.100.100.200 on every run that has no other credentials.
std::optional<CredentialPlan> from_ecs_metadata(const CredentialSources& s,
                                                std::vector<std::string>& looked) {
  const std::string role = env_or_empty(s, "ALIBABA_CLOUD_ECS_METADATA");
  if (ascii_lower(env_or_empty(s, "ALIBABA_CLOUD_ECS_METADATA_DISABLED")) == "true") {
    looked.push_back("ECS instance role: skipped because ALIBABA_CLOUD_ECS_METADATA_DISABLED=true");
    return std::nullopt;
  }
  if (role.empty()) {
    looked.push_back("ECS instance role: ALIBABA_CLOUD_ECS_METADATA is not set");
    return std::nullopt;
  }
  ImdsOptions options;
  options.endpoint = s.imds;
  options.role_name = role;
  options.imdsv1_disabled = ascii_lower(env_or_empty(s, "ALIBABA_CLOUD_IMDSV1_DISABLED")) == "true";
  options.context = "ECS instance role (ALIBABA_CLOUD_ECS_METADATA)";
  return CredentialPlan{options.context, EcsRolePlan{options}};
}

}  // namespace

CredentialSources process_credential_sources() {
  CredentialSources s;
  s.getenv = [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    s.home = home;
  } else {
    passwd pw{};
    passwd* found = nullptr;
    std::vector<char> buf(16384);
    if (::getpwuid_r(::getuid(), &pw, buf.data(), buf.size(), &found) == 0 && found != nullptr && pw.pw_dir) {
      s.home = pw.pw_dir;
    }
  }
  return s;
}

CredentialPlan resolve_credential_plan(std::string_view explicit_profile, const CredentialSources& sources) {
  if (auto env = from_environment(sources)) return {env->source, *env};
  std::vector<std::string> looked = {"environment: " + std::string(kIdVar) + " and " + kSecretVar +
                                     " are not set"};

  if (auto oidc = from_oidc_environment(sources, looked)) return std::move(*oidc);

  if (auto off = sources.getenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED"); off && ascii_lower(*off) == "true") {
    looked.push_back("aliyun CLI config file: skipped because ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true");
  } else if (auto file = locate(sources, "ALIBABA_CLOUD_CONFIG_FILE", ".aliyun/config.json",
                                "aliyun CLI config file", looked)) {
    return plan_from_config_file(*file, explicit_profile, sources);
  }

  if (auto file = locate(sources, "ALIBABA_CLOUD_CREDENTIALS_FILE", ".alibabacloud/credentials",
                         "shared credentials file", looked)) {
    return plan_from_ini_file(*file, explicit_profile, sources);
  }

  if (auto ecs = from_ecs_metadata(sources, looked)) return std::move(*ecs);

  std::string message = "no Alibaba Cloud credentials found";
  if (!explicit_profile.empty())
    message += " (profile '" + std::string(explicit_profile) + "' was requested)";
  message += ". Looked in:";
  for (const auto& place : looked) message += "\n  - " + place;
  message += "\nSet " + std::string(kIdVar) + " and " + kSecretVar +
             ", or the OIDC role variables, or create a profile with `aliyun configure`.";
  throw Error(ErrorKind::kCredentials, message);
}

Credentials resolve_credentials(std::string_view explicit_profile, const CredentialSources& sources) {
  CredentialPlan plan = resolve_credential_plan(explicit_profile, sources);
  if (auto* fixed = std::get_if<Credentials>(&plan.how)) return *fixed;
  if (auto* ecs = std::get_if<EcsRolePlan>(&plan.how)) return fetch_ecs_ram_role_credentials(ecs->imds);
  throw Error(ErrorKind::kCredentials, plan.description + ": assumes a role, which needs an STS call");
}

}  // namespace provision::api
