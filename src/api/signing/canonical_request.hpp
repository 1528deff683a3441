// The pure stages of the ACS3-HMAC-SHA256 canonical request and string to sign (api.md §3.2).
#pragma once

#include <string>
#include <string_view>

#include "api/signing/http_request_parts.hpp"

namespace provision::api {

inline constexpr std::string_view kAcs3Algorithm = "ACS3-HMAC-SHA256";
// hex SHA-256 of the empty body.
inline constexpr std::string_view kEmptyPayloadHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// True for the header names ACS3 signs: host, content-type and x-acs-* (any case).
bool is_signed_header_name(std::string_view name);

// Decodes each '/'-separated segment of the wire path and re-encodes it with the unreserved set
// (so "%7E" becomes "~" and "%2f" becomes "%2F"); "" becomes "/". A segment with a malformed
// escape is encoded as it stands ('%' -> "%25"), so it can never match a well-formed path.
std::string canonical_uri(std::string_view wire_path);

// Names and values RFC 3986-encoded, sorted by name then value, "name=value" joined with '&'.
std::string canonical_query(const NameValueList& query);

// Every host/content-type/x-acs-* header as "name:value\n": names lower-cased and sorted, values
// trimmed; repeated names get their trimmed values sorted and joined with ','.
std::string canonical_headers(const NameValueList& headers);

// The lower-cased names of canonical_headers() joined with ';'.
std::string signed_header_list(const NameValueList& headers);

// METHOD \n URI \n QUERY \n HEADERS \n SIGNED \n PAYLOAD_HASH over the headers that ACS3 signs.
std::string canonical_request(const HttpRequestParts& request, std::string_view hashed_payload);

// "ACS3-HMAC-SHA256\n" + hex(SHA-256(canonical request)).
std::string string_to_sign(std::string_view canonical_request);

}  // namespace provision::api
