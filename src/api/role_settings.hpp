// The settings every role source shares (OIDC environment, config.json, INI file): session
// name, duration and STS location, each read with the same defaults and checks.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "api/credential_plan.hpp"
#include "api/credentials_chain.hpp"

namespace provision::api {

// `value` ("" = the default 3600) as a DurationSeconds of at least 900. Throws
// Error(kCredentials) "<where>: ..." for anything else.
int role_duration_seconds(std::string_view value, const std::string& where);

// `value` if set, else ALIBABA_CLOUD_ROLE_SESSION_NAME, else "provision".
std::string role_session_name(std::string_view value, const CredentialSources& sources);

// `region` / `vpc` if set ("" = unset), else ALIBABA_CLOUD_STS_REGION /
// ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED.
StsLocation role_sts_location(std::string_view region, std::string_view vpc,
                              const CredentialSources& sources);

// An OIDC role's fields as a profile gives them, already read and checked ("" = unset).
struct OidcRoleFields {
  std::string role_arn;
  std::string oidc_provider_arn;
  std::string token_file;
  std::string session_name;  // "" = role_session_name's default
  int duration_seconds = kDefaultStsDurationSeconds;
  std::string policy;
  StsLocation sts;
};

// The AssumeRoleWithOIDC plan for `fields`; its token is read from the file when the role
// is assumed.
OidcRolePlan oidc_role_plan(OidcRoleFields fields, const CredentialSources& sources);

// The source of a RAM role assumed with a profile's own access key: `key`, labelled
// "<label> access key" (the label names the profile in messages).
std::shared_ptr<CredentialPlan> access_key_source(const std::string& label, Credentials key);

}  // namespace provision::api
