// Signs a request with ACS3-HMAC-SHA256 (api.md §3) and verifies one (for the emulator).
// Including this header gives the whole signing API: stages, digests, encoding, redaction.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/signing/authorization.hpp"
#include "api/signing/canonical_request.hpp"
#include "api/signing/credentials.hpp"
#include "api/signing/digest.hpp"
#include "api/signing/http_request_parts.hpp"
#include "api/signing/redaction.hpp"
#include "core/clock.hpp"
#include "core/percent_encoding.hpp"

namespace provision::api {

// Adds x-acs-date (from clock), x-acs-signature-nonce (from random), x-acs-content-sha256 (of the
// body), x-acs-accesskey-id + x-acs-security-token for STS, then Authorization. Expects
// x-acs-action, x-acs-version and content-type (if a body) in headers; adds "host" from
// request.host when no host header is present. Re-signing replaces every header it adds, so call
// it again before each retry (new date and nonce). Throws Error(kCredentials) for an empty id or
// secret and Error(kInternal) when host, x-acs-action or x-acs-version is missing.
void sign_request(HttpRequestParts& request, const Credentials& credentials, const Clock& clock,
                  Random& random);

// hex HMAC-SHA256 over the canonical request built from only the headers named in
// `signed_headers` (lower-case) and the hash of request.body; what a verifier recomputes.
std::string compute_signature(const HttpRequestParts& request, const std::vector<std::string>& signed_headers,
                              std::string_view secret);

// Outcome of verify_signature, in the order the checks run.
enum class SignatureCheck {
  kOk,
  kMissingAuthorization,    // no Authorization header
  kMalformedAuthorization,  // not "ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=.."
  kUnknownAccessKey,        // the lookup has no secret for the Credential
  kUnsignedHeader,          // a host/content-type/x-acs-* header is present but not in SignedHeaders
  kMissingSignedHeader,     // SignedHeaders names a header the request does not carry
  kContentHashMismatch,     // x-acs-content-sha256 absent or not the SHA-256 of the body
  kSignatureMismatch,       // recomputed signature differs
};

struct SignatureVerdict {
  SignatureCheck check = SignatureCheck::kOk;
  std::string access_key_id;  // from the header, when it parsed
  std::string detail;         // human explanation; holds no secret and no token
};

// Secret for an access key id, or nullopt when the id is unknown.
using SecretLookup = std::function<std::optional<std::string>(std::string_view access_key_id)>;

// Full server-side check of a received request (date skew is the caller's business).
// Signatures are compared in constant time.
SignatureVerdict verify_signature(const HttpRequestParts& request, const SecretLookup& secret_for);

}  // namespace provision::api
