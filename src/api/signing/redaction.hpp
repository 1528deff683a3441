// Header copies safe to print in dry runs: credentials and signature masked.
#pragma once

#include "api/signing/http_request_parts.hpp"

namespace provision::api {

// Masks like `aliyun --cli-dry-run`: x-acs-accesskey-id and the Credential in Authorization keep
// their first 4 characters + "***"; the Signature and x-acs-security-token become "***".
// An Authorization header that does not parse becomes "***" as a whole.
NameValueList redacted_headers(const NameValueList& headers);

}  // namespace provision::api
