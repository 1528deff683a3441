// Server-side ACS3-HMAC-SHA256 checks of one request: Authorization, date window, nonce
// replay, content hash, signature (via api/signing verify_signature) and STS token.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "api/signing/http_request_parts.hpp"
#include "emulator/access_keys.hpp"
#include "emulator/api_error.hpp"
#include "emulator/nonce_cache.hpp"

namespace provision::emulator {

// Parses "YYYY-MM-DDTHH:MM:SSZ" (x-acs-date); nullopt for anything else.
std::optional<std::chrono::system_clock::time_point> parse_acs_date(const std::string& text);

struct Authentication {
  std::optional<ApiError> error;
  std::string access_key_id;  // set once the Authorization header parsed
};

// Codes, in check order: IncompleteSignature (Authorization missing or malformed),
// MissingParameter (x-acs-date, x-acs-signature-nonce, x-acs-content-sha256),
// InvalidTimeStamp.Format, InvalidTimeStamp.Expired (more than `max_skew` off `now`),
// InvalidAccessKeyId.NotFound (404), ContentSha256Mismatch, SignatureDoesNotMatch (also for an
// unsigned x-acs-* header), InvalidAccessKeyId.Mismatch (x-acs-accesskey-id differs from the
// Credential), InvalidSecurityToken.MismatchWithAccessKey, InvalidSecurityToken.Expired (an
// issued STS key past its expiration), SignatureNonceUsed. The nonce is
// recorded only for a request whose signature verified.
// The gateway's answer to an STS key past its expiration (400 InvalidSecurityToken.Expired).
ApiError expired_security_token();

Authentication authenticate(const api::HttpRequestParts& request, const AccessKeyTable& keys,
                            NonceCache& nonces, std::chrono::system_clock::time_point now,
                            std::chrono::seconds max_skew);

}  // namespace provision::emulator
