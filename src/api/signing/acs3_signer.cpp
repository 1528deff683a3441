// ACS3-HMAC-SHA256 signing and verification built from the pure stages.
#include "api/signing/acs3_signer.hpp"

#include <algorithm>

#include "api/signing/canonical_request_detail.hpp"
#include "core/error.hpp"

namespace provision::api {
namespace {

// Headers sign_request owns: removed before each signing so a retry gets fresh values.
constexpr std::string_view kAddedHeaders[] = {"authorization",         "x-acs-date",
                                              "x-acs-signature-nonce", "x-acs-content-sha256",
                                              "x-acs-accesskey-id",    "x-acs-security-token"};

void require_header(const HttpRequestParts& request, std::string_view name) {
  if (!find_header(request.headers, name)) {
    throw Error(ErrorKind::kInternal, "cannot sign a request without a '" + std::string(name) + "' header");
  }
}

bool contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

SignatureVerdict verdict(SignatureCheck check, std::string access_key_id, std::string detail) {
  return SignatureVerdict{check, std::move(access_key_id), std::move(detail)};
}

}  // namespace

void sign_request(HttpRequestParts& request, const Credentials& credentials, const Clock& clock,
                  Random& random) {
  if (credentials.access_key_id.empty() || credentials.access_key_secret.empty()) {
    throw Error(ErrorKind::kCredentials,
                "cannot sign: the credentials from " +
                    (credentials.source.empty() ? "an unnamed source" : credentials.source) +
                    " have an empty access key id or secret");
  }
  if (!find_header(request.headers, "host") && !request.host.empty()) {
    request.headers.emplace_back("host", request.host);
  }
  require_header(request, "host");
  require_header(request, "x-acs-action");
  require_header(request, "x-acs-version");

  for (std::string_view name : kAddedHeaders) remove_header(request.headers, name);
  const std::string payload_hash = hex_sha256(request.body);
  request.headers.emplace_back("x-acs-date", format_iso8601_utc(clock.now()));
  request.headers.emplace_back("x-acs-signature-nonce", random.hex_nonce());
  request.headers.emplace_back("x-acs-content-sha256", payload_hash);
  if (credentials.is_sts()) {
    request.headers.emplace_back("x-acs-accesskey-id", credentials.access_key_id);
    request.headers.emplace_back("x-acs-security-token", credentials.security_token);
  }
  const std::string signature = hex_hmac_sha256(credentials.access_key_secret,
                                                string_to_sign(canonical_request(request, payload_hash)));
  request.headers.emplace_back(
      "Authorization",
      authorization_header(credentials.access_key_id, signed_header_list(request.headers), signature));
}

std::string compute_signature(const HttpRequestParts& request, const std::vector<std::string>& signed_headers,
                              std::string_view secret) {
  const HeaderFilter listed = [&](std::string_view lower_name) {
    return contains(signed_headers, lower_name);
  };
  const std::string canonical = canonical_request_matching(request, hex_sha256(request.body), listed);
  return hex_hmac_sha256(secret, string_to_sign(canonical));
}

SignatureVerdict verify_signature(const HttpRequestParts& request, const SecretLookup& secret_for) {
  const auto header = find_header(request.headers, "authorization");
  if (!header)
    return verdict(SignatureCheck::kMissingAuthorization, "", "the Authorization header is missing");
  const auto parsed = parse_authorization(*header);
  if (!parsed) {
    return verdict(
        SignatureCheck::kMalformedAuthorization, "",
        "the Authorization header is not 'ACS3-HMAC-SHA256 Credential=...,SignedHeaders=...,Signature=...'");
  }
  const std::string& id = parsed->access_key_id;
  const auto secret = secret_for(id);
  if (!secret)
    return verdict(SignatureCheck::kUnknownAccessKey, id, "the access key id '" + id + "' is not known");
  for (const auto& [name, value] : request.headers) {
    const std::string lower_name = ascii_lower(name);
    if (is_signed_header_name(lower_name) && !contains(parsed->signed_headers, lower_name)) {
      return verdict(SignatureCheck::kUnsignedHeader, id,
                     "header '" + lower_name + "' is present but not signed");
    }
  }
  for (const auto& name : parsed->signed_headers) {
    if (!find_header(request.headers, name)) {
      return verdict(SignatureCheck::kMissingSignedHeader, id,
                     "SignedHeaders names '" + name + "' but the request has no such header");
    }
  }
  const std::string body_hash = hex_sha256(request.body);
  const auto sent_hash = find_header(request.headers, "x-acs-content-sha256");
  if (!sent_hash || *sent_hash != body_hash) {
    return verdict(SignatureCheck::kContentHashMismatch, id,
                   "x-acs-content-sha256 " +
                       (sent_hash ? "'" + std::string(*sent_hash) + "'" : std::string("(absent)")) +
                       " does not match the body's SHA-256 '" + body_hash + "'");
  }
  const HeaderFilter listed = [&](std::string_view lower_name) {
    return contains(parsed->signed_headers, lower_name);
  };
  const std::string expected_sts = string_to_sign(canonical_request_matching(request, body_hash, listed));
  if (!constant_time_equal(hex_hmac_sha256(*secret, expected_sts), parsed->signature)) {
    std::string printable = expected_sts;
    std::replace(printable.begin(), printable.end(), '\n', ' ');
    return verdict(SignatureCheck::kSignatureMismatch, id,
                   "the signature does not match; server string to sign: '" + printable + "'");
  }
  return verdict(SignatureCheck::kOk, id, "");
}

}  // namespace provision::api
