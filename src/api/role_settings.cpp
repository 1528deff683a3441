// Shared defaults of the role sources, so the three places that read them cannot drift apart.
#include "api/role_settings.hpp"

#include <charconv>

#include "api/signing/http_request_parts.hpp"
#include "core/error.hpp"

namespace provision::api {

int role_duration_seconds(std::string_view value, const std::string& where) {
  if (value.empty()) return kDefaultStsDurationSeconds;
  int seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || end != value.data() + value.size())
    throw Error(ErrorKind::kCredentials,
                where + ": expected a number of seconds, got '" + std::string(value) + "'");
  if (seconds < kMinStsDurationSeconds)
    throw Error(ErrorKind::kCredentials, where + ": " + std::to_string(seconds) +
                                             " s is shorter than the STS minimum of " +
                                             std::to_string(kMinStsDurationSeconds) + " s");
  return seconds;
}

std::string role_session_name(std::string_view value, const CredentialSources& sources) {
  if (!value.empty()) return std::string(value);
  if (auto env = sources.getenv("ALIBABA_CLOUD_ROLE_SESSION_NAME"); env && !env->empty()) return *env;
  return "provision";
}

OidcRolePlan oidc_role_plan(OidcRoleFields fields, const CredentialSources& sources) {
  OidcRolePlan plan;
  plan.params.role_arn = std::move(fields.role_arn);
  plan.params.oidc_provider_arn = std::move(fields.oidc_provider_arn);
  plan.params.role_session_name = role_session_name(fields.session_name, sources);
  plan.params.duration_seconds = fields.duration_seconds;
  plan.params.policy = std::move(fields.policy);
  plan.token_file = std::move(fields.token_file);
  plan.sts = std::move(fields.sts);
  return plan;
}

StsLocation role_sts_location(std::string_view region, std::string_view vpc,
                              const CredentialSources& sources) {
  StsLocation out;
  out.region =
      !region.empty() ? std::string(region) : sources.getenv("ALIBABA_CLOUD_STS_REGION").value_or("");
  const std::string flag =
      !vpc.empty() ? std::string(vpc) : sources.getenv("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED").value_or("");
  out.vpc = ascii_lower(flag) == "true";
  return out;
}

std::shared_ptr<CredentialPlan> access_key_source(const std::string& label, Credentials key) {
  key.source = label + " access key";
  return std::make_shared<CredentialPlan>(CredentialPlan{key.source, std::move(key)});
}

}  // namespace provision::api
