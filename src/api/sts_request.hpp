// STS calls as pure request builders (api.md §5.4, issue 17): AssumeRole, signed with V1
// HMAC-SHA1, and AssumeRoleWithOIDC, unsigned. RPC style: POST "/", the common parameters in
// the query, the operation's parameters in a form body.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "api/signing/credentials.hpp"
#include "api/signing/http_request_parts.hpp"

namespace provision::api {

inline constexpr std::string_view kStsVersion = "2015-04-01";
inline constexpr int kDefaultStsDurationSeconds = 3600;
inline constexpr int kMinStsDurationSeconds = 900;

// AssumeRole's form parameters; empty optional fields are not sent.
struct AssumeRoleParams {
  std::string role_arn;
  std::string role_session_name;
  int duration_seconds = kDefaultStsDurationSeconds;
  std::string policy;       // optional
  std::string external_id;  // optional
};

// AssumeRoleWithOIDC's form parameters; `oidc_token` is the token file's content (a secret).
struct OidcRoleParams {
  std::string role_arn;
  std::string oidc_provider_arn;
  std::string oidc_token;
  std::string role_session_name;
  int duration_seconds = kDefaultStsDurationSeconds;
  std::string policy;  // optional
};

// One STS request ready for the wire: method POST, path "/", query, headers (host,
// content-type, accept, user-agent) and the form body.
struct StsCall {
  std::string operation;  // "AssumeRole" or "AssumeRoleWithOIDC"
  HttpRequestParts parts;
};

// application/x-www-form-urlencoded, RFC 3986-encoded (a space is %20).
std::string encode_form(const NameValueList& params);

// Query Version, Action, Format=JSON, Timestamp, SignatureMethod, SignatureVersion,
// SignatureNonce, AccessKeyId (+ SecurityToken for STS `signer`s), then Signature over query
// and form together. `host` is the endpoint authority.
StsCall assume_role_call(std::string_view host, const AssumeRoleParams& params, const Credentials& signer,
                         std::chrono::system_clock::time_point now, std::string_view nonce);

// Query Version, Action, Format=JSON, Timestamp; no signature.
StsCall assume_role_with_oidc_call(std::string_view host, const OidcRoleParams& params,
                                   std::chrono::system_clock::time_point now);

}  // namespace provision::api
