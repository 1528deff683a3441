// SHA-256, HMAC-SHA256, HMAC-SHA1 and constant-time comparison over OpenSSL EVP (no hand-written crypto).
#pragma once

#include <string>
#include <string_view>

namespace provision::api {

// Lowercase hex SHA-256 of `data` (the x-acs-content-sha256 / HashedRequestPayload form).
std::string hex_sha256(std::string_view data);

// Lowercase hex HMAC-SHA256 of `data` keyed with `key` (the ACS3 signature form).
std::string hex_hmac_sha256(std::string_view key, std::string_view data);

// Base64 of HMAC-SHA1 of `data` keyed with `key` (the V1 RPC signature form, api.md §5.4).
std::string base64_hmac_sha1(std::string_view key, std::string_view data);

// Equality whose running time does not depend on where the inputs differ (for signatures).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace provision::api
