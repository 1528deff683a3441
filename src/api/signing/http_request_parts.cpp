// Case-insensitive header helpers shared by the signer, the client and the emulator.
#include "api/signing/http_request_parts.hpp"

#include <algorithm>

#include "core/percent_encoding.hpp"

namespace provision::api {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

bool header_name_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

std::optional<std::string_view> find_header(const NameValueList& headers, std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (header_name_equal(n, name)) return std::string_view{v};
  }
  return std::nullopt;
}

void remove_header(NameValueList& headers, std::string_view name) {
  std::erase_if(headers, [&](const auto& h) { return header_name_equal(h.first, name); });
}

void set_header(NameValueList& headers, std::string_view name, std::string_view value) {
  remove_header(headers, name);
  headers.emplace_back(std::string(name), std::string(value));
}

std::string encode_query_string(const NameValueList& query) {
  std::string out;
  for (const auto& [name, value] : query) {
    if (!out.empty()) out += '&';
    out += percent_encode(name);
    out += '=';
    out += percent_encode(value);
  }
  return out;
}

}  // namespace provision::api
