// Canonicalisation rules of api.md §3.2; pure string functions so every stage is testable alone.
#include "api/signing/canonical_request.hpp"

#include <algorithm>
#include <map>
#include <vector>

#include "api/signing/canonical_request_detail.hpp"
#include "api/signing/digest.hpp"
#include "core/percent_encoding.hpp"

namespace provision::api {
namespace {

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(kSpace);
  return s.substr(first, last - first + 1);
}

// Lower-cased name -> trimmed values (sorted), for the headers `include` accepts.
std::map<std::string, std::vector<std::string>> group_headers(const NameValueList& headers,
                                                              const HeaderFilter& include) {
  std::map<std::string, std::vector<std::string>> grouped;
  for (const auto& [name, value] : headers) {
    std::string lower_name = ascii_lower(name);
    if (!include(lower_name)) continue;
    grouped[std::move(lower_name)].emplace_back(trim(value));
  }
  for (auto& [name, values] : grouped) std::sort(values.begin(), values.end());
  return grouped;
}

}  // namespace

bool is_signed_header_name(std::string_view name) {
  const std::string lower_name = ascii_lower(name);
  return lower_name == "host" || lower_name == "content-type" || lower_name.starts_with("x-acs-");
}

std::string canonical_uri(std::string_view wire_path) {
  if (wire_path.empty()) return "/";
  std::string out;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = wire_path.find('/', start);
    const std::string_view segment =
        wire_path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    const auto decoded = percent_decode(segment);
    out += percent_encode(decoded ? std::string_view{*decoded} : segment);
    if (slash == std::string_view::npos) break;
    out += '/';
    start = slash + 1;
  }
  return out;
}

std::string canonical_query(const NameValueList& query) {
  NameValueList sorted = query;
  std::sort(sorted.begin(), sorted.end());
  return encode_query_string(sorted);
}

std::string canonical_headers_matching(const NameValueList& headers, const HeaderFilter& include) {
  std::string out;
  for (const auto& [name, values] : group_headers(headers, include)) {
    out += name;
    out += ':';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i != 0) out += ',';
      out += values[i];
    }
    out += '\n';
  }
  return out;
}

std::string signed_header_list_matching(const NameValueList& headers, const HeaderFilter& include) {
  std::string out;
  for (const auto& [name, values] : group_headers(headers, include)) {
    if (!out.empty()) out += ';';
    out += name;
  }
  return out;
}

std::string canonical_request_matching(const HttpRequestParts& request, std::string_view hashed_payload,
                                       const HeaderFilter& include) {
  std::string out = request.method;
  out += '\n';
  out += canonical_uri(request.path);
  out += '\n';
  out += canonical_query(request.query);
  out += '\n';
  out += canonical_headers_matching(request.headers, include);
  out += '\n';
  out += signed_header_list_matching(request.headers, include);
  out += '\n';
  out += hashed_payload;
  return out;
}

std::string canonical_headers(const NameValueList& headers) {
  return canonical_headers_matching(headers, is_signed_header_name);
}

std::string signed_header_list(const NameValueList& headers) {
  return signed_header_list_matching(headers, is_signed_header_name);
}

std::string canonical_request(const HttpRequestParts& request, std::string_view hashed_payload) {
  return canonical_request_matching(request, hashed_payload, is_signed_header_name);
}

std::string string_to_sign(std::string_view canonical_request) {
  std::string out(kAcs3Algorithm);
  out += '\n';
  out += hex_sha256(canonical_request);
  return out;
}

}  // namespace provision::api
