// The ACS3 Authorization header: building it for the client, parsing it for the emulator.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace provision::api {

// "ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<h1;h2>,Signature=<hex>".
std::string authorization_header(std::string_view access_key_id, std::string_view signed_headers,
                                 std::string_view signature);

struct ParsedAuthorization {
  std::string access_key_id;
  std::vector<std::string> signed_headers;  // as listed by the client, lower-cased
  std::string signature;
};

// nullopt unless the algorithm is ACS3-HMAC-SHA256 and Credential, SignedHeaders and Signature
// each appear exactly once with a non-empty value (spaces after commas are tolerated).
std::optional<ParsedAuthorization> parse_authorization(std::string_view header);

}  // namespace provision::api
