// The emulator's STS (issue 17): AssumeRole (V1 HMAC-SHA1 signature checked against the known
// keys) and AssumeRoleWithOIDC (token checked against --oidc-tokens), RPC style on "/" of the
// same port. Both issue "STS."-prefixed keys with a security token and an expiration, added to
// the key table, so the Ray-cluster API accepts them until they expire.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>

#include "api/signing/http_request_parts.hpp"
#include "core/clock.hpp"
#include "emulator/access_keys.hpp"
#include "emulator/api_error.hpp"
#include "emulator/nonce_cache.hpp"

namespace provision::emulator {

struct StsSettings {
  std::set<std::string> oidc_tokens;  // accepted OIDC tokens (--oidc-tokens); empty = none
  std::optional<std::chrono::seconds>
      duration;  // --sts-duration: lifetime of issued keys, else DurationSeconds
  std::chrono::seconds max_clock_skew{15 * 60};
};

// True when the request is an STS call: path "/" and Action AssumeRole or AssumeRoleWithOIDC
// (in the query or the form body).
bool is_sts_request(const api::HttpRequestParts& request);

struct StsAnswer {
  std::optional<ApiError> error;  // or success:
  std::string action;             // for the access log
  std::string body;               // JSON, RequestId included
};

class StsService {
 public:
  StsService(StsSettings settings, AccessKeyTable& keys, NonceCache& nonces, Random& random);

  // Checks, in order: Version, Action; for AssumeRole SignatureMethod/Version, Timestamp
  // (InvalidTimeStamp.Format/.Expired), AccessKeyId (InvalidAccessKeyId.NotFound), Signature
  // (SignatureDoesNotMatch), SecurityToken of STS signers, expiry of issued signers, nonce
  // (SignatureNonceUsed); for AssumeRoleWithOIDC the token (AuthenticationFail.OIDCToken.Invalid);
  // then RoleArn, RoleSessionName and DurationSeconds (900-43200).
  StsAnswer handle(const api::HttpRequestParts& request, const std::string& request_id,
                   std::chrono::system_clock::time_point now);

  // Loads --oidc-tokens FILE: one token per line; blank lines and '#' comments skipped.
  // Throws Error(kUsage) when the file cannot be read or holds no token (never echoing one).
  static std::set<std::string> load_oidc_tokens(const std::string& file);

 private:
  std::optional<ApiError> check_signed(const api::NameValueList& params, const api::HttpRequestParts& request,
                                       std::chrono::system_clock::time_point now);
  std::string issue(const api::NameValueList& params, const std::string& action,
                    const std::string& request_id, std::chrono::system_clock::time_point now);

  StsSettings settings_;
  AccessKeyTable& keys_;
  NonceCache& nonces_;
  Random& random_;
};

}  // namespace provision::emulator
