// The two STS request shapes; nothing here reads a clock, a file or the network.
#include "api/sts_request.hpp"

#include "api/signing/rpc_signature.hpp"
#include "core/clock.hpp"
#include "core/percent_encoding.hpp"

namespace provision::api {
namespace {

StsCall rpc_call(std::string_view operation, std::string_view host, std::chrono::system_clock::time_point now,
                 NameValueList form) {
  StsCall call;
  call.operation = std::string(operation);
  HttpRequestParts& p = call.parts;
  p.method = "POST";
  p.host = std::string(host);
  p.path = "/";
  p.query = {{"Version", std::string(kStsVersion)},
             {"Action", call.operation},
             {"Format", "JSON"},
             {"Timestamp", format_iso8601_utc(now)}};
  p.headers = {{"host", std::string(host)},
               {"content-type", "application/x-www-form-urlencoded"},
               {"accept", "application/json"},
               {"user-agent", std::string("provision/") + PROVISION_VERSION}};
  p.body = encode_form(form);
  return call;
}

void add_if_set(NameValueList& list, const char* name, const std::string& value) {
  if (!value.empty()) list.emplace_back(name, value);
}

}  // namespace

std::string encode_form(const NameValueList& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += percent_encode(name) + "=" + percent_encode(value);
  }
  return out;
}

StsCall assume_role_call(std::string_view host, const AssumeRoleParams& params, const Credentials& signer,
                         std::chrono::system_clock::time_point now, std::string_view nonce) {
  NameValueList form = {{"RoleArn", params.role_arn},
                        {"RoleSessionName", params.role_session_name},
                        {"DurationSeconds", std::to_string(params.duration_seconds)}};
  add_if_set(form, "Policy", params.policy);
  add_if_set(form, "ExternalId", params.external_id);
  StsCall call = rpc_call("AssumeRole", host, now, form);
  NameValueList& q = call.parts.query;
  q.emplace_back("SignatureMethod", std::string(kRpcSignatureMethod));
  q.emplace_back("SignatureVersion", std::string(kRpcSignatureVersion));
  q.emplace_back("SignatureNonce", std::string(nonce));
  q.emplace_back("AccessKeyId", signer.access_key_id);
  add_if_set(q, "SecurityToken", signer.security_token);
  NameValueList signed_params = q;
  signed_params.insert(signed_params.end(), form.begin(), form.end());
  q.emplace_back("Signature",
                 rpc_signature(signer.access_key_secret, rpc_string_to_sign("POST", signed_params)));
  return call;
}

StsCall assume_role_with_oidc_call(std::string_view host, const OidcRoleParams& params,
                                   std::chrono::system_clock::time_point now) {
  NameValueList form = {{"RoleArn", params.role_arn},
                        {"OIDCProviderArn", params.oidc_provider_arn},
                        {"OIDCToken", params.oidc_token},
                        {"RoleSessionName", params.role_session_name},
                        {"DurationSeconds", std::to_string(params.duration_seconds)}};
  add_if_set(form, "Policy", params.policy);
  return rpc_call("AssumeRoleWithOIDC", host, now, std::move(form));
}

}  // namespace provision::api
