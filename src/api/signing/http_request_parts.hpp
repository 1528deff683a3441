// The parts of one HTTP request that the signature covers, exactly as they go on the wire.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace provision::api {

// Ordered name/value pairs; names may repeat (query parameters, headers).
using NameValueList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequestParts {
  std::string method;     // "POST", "GET", ... (signed verbatim)
  std::string host;       // Host header value, port included if non-default; used when no host header
  std::string path;       // the exact wire path, already RFC 3986-encoded (see core percent_encode)
  NameValueList query;    // decoded name/value pairs
  NameValueList headers;  // as sent (any case)
  std::string body;       // exact bytes
};

// ASCII lower-case copy (HTTP header names).
std::string ascii_lower(std::string_view s);

// Case-insensitive equality of header names.
bool header_name_equal(std::string_view a, std::string_view b);

// Value of the first header named `name` (any case), if any.
std::optional<std::string_view> find_header(const NameValueList& headers, std::string_view name);

// Removes every header named `name` (any case).
void remove_header(NameValueList& headers, std::string_view name);

// Replaces every header named `name` (any case) with one `name: value` at the end.
void set_header(NameValueList& headers, std::string_view name, std::string_view value);

// The query string as it goes in the URL: RFC 3986-encoded names and values in the given order
// (encoded exactly like the canonical query, so %20 and never '+'); "" when there is no query.
std::string encode_query_string(const NameValueList& query);

}  // namespace provision::api
