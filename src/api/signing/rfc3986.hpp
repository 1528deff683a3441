// RFC 3986 percent-encoding with the unreserved set only, as ACS3 canonicalisation requires.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace provision::api {

// Keeps A-Z a-z 0-9 - _ . ~ and writes every other byte as %XX (upper-case hex): space is
// %20, '*' is %2A, '/' is %2F. Use it for path parameters and query names and values.
std::string rfc3986_encode(std::string_view raw);

// Decodes %XX escapes ('+' stays '+'); nullopt when a '%' is not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view encoded);

}  // namespace provision::api
