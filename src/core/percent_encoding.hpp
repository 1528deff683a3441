// RFC 3986 percent-encoding for URL path segments and query components (ACS3 signing
// and request URLs must agree byte for byte).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace provision {

// Encodes every byte except the unreserved set A-Z a-z 0-9 - _ . ~ as %XX (upper-case hex),
// so "/" becomes %2F and a path parameter stays one segment; space is %20, never "+".
std::string percent_encode(std::string_view text);

// Decodes %XX escapes ('+' stays '+'); nullopt when a '%' is not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view encoded);

}  // namespace provision
