// Maps the signing layer's verdicts to the gateway's error codes.
#include "emulator/request_authenticator.hpp"

#include <ctime>

#include "api/signing/acs3_signer.hpp"

namespace provision::emulator {
namespace {

ApiError incomplete_signature(const std::string& why) {
  return {400, "IncompleteSignature",
          "The request signature does not conform to Aliyun standards: " + why + "."};
}

ApiError signature_mismatch(const std::string& detail) {
  return {400, "SignatureDoesNotMatch",
          "The request signature does not conform to Aliyun standards: " + detail + "."};
}

bool digits(const std::string& s, std::size_t at, std::size_t n) {
  for (std::size_t i = at; i < at + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

int number(const std::string& s, std::size_t at, std::size_t n) { return std::stoi(s.substr(at, n)); }

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_acs_date(const std::string& t) {
  if (t.size() != 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' ||
      t[19] != 'Z')
    return std::nullopt;
  if (!digits(t, 0, 4) || !digits(t, 5, 2) || !digits(t, 8, 2) || !digits(t, 11, 2) || !digits(t, 14, 2) ||
      !digits(t, 17, 2))
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = number(t, 0, 4) - 1900;
  tm.tm_mon = number(t, 5, 2) - 1;
  tm.tm_mday = number(t, 8, 2);
  tm.tm_hour = number(t, 11, 2);
  tm.tm_min = number(t, 14, 2);
  tm.tm_sec = number(t, 17, 2);
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60)
    return std::nullopt;
  // system_clock counts nanoseconds in 64 bits (years 1678-2262): a well-formed date far
  // outside that would overflow (found by fuzzing). Such a date is simply expired.
  const int year = tm.tm_year + 1900;
  if (year < 1970) return std::chrono::system_clock::time_point::min();
  if (year > 2200) return std::chrono::system_clock::time_point::max();
  return std::chrono::system_clock::from_time_t(::timegm(&tm));
}

ApiError expired_security_token() {
  return {400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired."};
}

Authentication authenticate(const api::HttpRequestParts& request, const AccessKeyTable& keys,
                            NonceCache& nonces, std::chrono::system_clock::time_point now,
                            std::chrono::seconds max_skew) {
  Authentication result;
  auto fail = [&](ApiError e) {
    result.error = std::move(e);
    return result;
  };
  const auto authorization = api::find_header(request.headers, "authorization");
  if (!authorization) return fail(incomplete_signature("the Authorization header is missing"));
  const auto parsed = api::parse_authorization(*authorization);
  if (!parsed)
    return fail(
        incomplete_signature("expected 'ACS3-HMAC-SHA256 Credential=...,SignedHeaders=...,Signature=...'"));
  result.access_key_id = parsed->access_key_id;

  for (const char* name : {"x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"})
    if (!api::find_header(request.headers, name)) return fail(missing_parameter(name));
  const std::string date(*api::find_header(request.headers, "x-acs-date"));
  const auto sent_at = parse_acs_date(date);
  if (!sent_at)
    return fail({400, "InvalidTimeStamp.Format",
                 "The x-acs-date \"" + date + "\" is not in the format yyyy-MM-ddTHH:mm:ssZ (UTC)."});
  if (*sent_at > now + max_skew || *sent_at < now - max_skew)
    return fail({400, "InvalidTimeStamp.Expired",
                 "Specified time stamp or date value is expired: x-acs-date " + date +
                     " is more than 15 minutes away from the server time " + format_iso8601_utc(now) + "."});

  const AccessKey* key = keys.find(parsed->access_key_id);
  const auto verdict = api::verify_signature(request, [&](std::string_view id) -> std::optional<std::string> {
    if (key && key->id == id) return key->secret;
    return std::nullopt;
  });
  switch (verdict.check) {
    case api::SignatureCheck::kOk:
      break;
    case api::SignatureCheck::kMissingAuthorization:
    case api::SignatureCheck::kMalformedAuthorization:
      return fail(incomplete_signature(verdict.detail));
    case api::SignatureCheck::kUnknownAccessKey:
      return fail({404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."});
    case api::SignatureCheck::kContentHashMismatch:
      return fail({400, "ContentSha256Mismatch",
                   "The x-acs-content-sha256 header does not match the SHA-256 of the request body."});
    case api::SignatureCheck::kUnsignedHeader:
    case api::SignatureCheck::kMissingSignedHeader:
    case api::SignatureCheck::kSignatureMismatch:
      return fail(signature_mismatch(verdict.detail));
  }

  if (auto id_header = api::find_header(request.headers, "x-acs-accesskey-id");
      id_header && *id_header != key->id)
    return fail({400, "InvalidAccessKeyId.Mismatch",
                 "The x-acs-accesskey-id header does not match the Credential of the Authorization header."});
  const auto token = api::find_header(request.headers, "x-acs-security-token");
  const bool token_ok = key->security_token.empty()
                            ? !token.has_value()
                            : token.has_value() && api::constant_time_equal(*token, key->security_token);
  if (!token_ok)
    return fail({400, "InvalidSecurityToken.MismatchWithAccessKey",
                 key->security_token.empty()
                     ? "A security token was sent with an access key that is not an STS key."
                     : "The security token is missing or does not belong to the access key."});

  if (key->expires_at && now >= *key->expires_at) return fail(expired_security_token());

  const std::string nonce(*api::find_header(request.headers, "x-acs-signature-nonce"));
  if (!nonces.remember(key->id + ":" + nonce, now))
    return fail({400, "SignatureNonceUsed", "Specified signature nonce was used already."});
  return result;
}

}  // namespace provision::emulator
