// Decoding an application/x-www-form-urlencoded body (the parameters of RPC-style calls).
#pragma once

#include <string_view>

#include "api/signing/http_request_parts.hpp"

namespace provision::emulator {

// "a=1&b=x%20y" -> {{"a","1"},{"b","x y"}}; '+' is a space, as in HTML forms. A malformed
// escape is kept as sent (the signature check then fails on it). Empty pieces are skipped.
api::NameValueList parse_form_body(std::string_view body);

}  // namespace provision::emulator
