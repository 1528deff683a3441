// Canonicalisation over an arbitrary header selection: the signer uses the ACS3 rule, the
// verifier the SignedHeaders list a client sent. Internal to provision_sign.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "api/signing/http_request_parts.hpp"

namespace provision::api {

// Receives a lower-cased header name; true = include the header in the canonical form.
using HeaderFilter = std::function<bool(std::string_view lower_name)>;

std::string canonical_headers_matching(const NameValueList& headers, const HeaderFilter& include);
std::string signed_header_list_matching(const NameValueList& headers, const HeaderFilter& include);
std::string canonical_request_matching(const HttpRequestParts& request, std::string_view hashed_payload,
                                       const HeaderFilter& include);

}  // namespace provision::api
