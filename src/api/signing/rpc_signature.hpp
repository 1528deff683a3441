// V1 signing of RPC-style calls (HMAC-SHA1, api.md §5.4), as STS AssumeRole needs: the
// canonical query, the string to sign and the signature, as pure functions.
#pragma once

#include <string>
#include <string_view>

#include "api/signing/http_request_parts.hpp"

namespace provision::api {

inline constexpr std::string_view kRpcSignatureMethod = "HMAC-SHA1";
inline constexpr std::string_view kRpcSignatureVersion = "1.0";

// Every parameter except "Signature" (query and form together, decoded), sorted by name in byte
// order (stable for repeats), as RFC 3986 `name=value` joined with '&'.
std::string rpc_canonical_query(const NameValueList& params);

// METHOD + "&%2F&" + percent_encode(rpc_canonical_query(params)).
std::string rpc_string_to_sign(std::string_view method, const NameValueList& params);

// base64(HMAC-SHA1(access_key_secret + "&", string_to_sign)).
std::string rpc_signature(std::string_view access_key_secret, std::string_view string_to_sign);

// True when `signature` is the V1 signature of `params` (any "Signature" entry among them is
// ignored) under `access_key_secret`; compared in constant time.
bool rpc_signature_matches(std::string_view method, const NameValueList& params,
                           std::string_view access_key_secret, std::string_view signature);

}  // namespace provision::api
