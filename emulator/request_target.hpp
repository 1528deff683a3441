// Splits an HTTP request target ("/path?a=1&b=%20") into the wire path and decoded query
// pairs, the form api::HttpRequestParts and the signature check expect.
#pragma once

#include <string>
#include <string_view>

#include "api/signing/http_request_parts.hpp"

namespace provision::emulator {

// Path verbatim (still encoded, as signed); query names and values percent-decoded ('+' is
// kept as '+', as ACS3 encodes a space as %20). A malformed escape is kept as sent, so the
// signature check fails on it instead of the parser.
void split_target(std::string_view target, std::string& path, api::NameValueList& query);

}  // namespace provision::emulator
