// Authorization header syntax; strict parsing so a malformed header is rejected, never guessed at.
#include "api/signing/authorization.hpp"

#include "api/signing/canonical_request.hpp"
#include "api/signing/http_request_parts.hpp"

namespace provision::api {
namespace {

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string> split_signed_headers(std::string_view list) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t semi = list.find(';', start);
    const std::size_t end = semi == std::string_view::npos ? list.size() : semi;
    names.push_back(ascii_lower(list.substr(start, end - start)));
    if (semi == std::string_view::npos) break;
    start = semi + 1;
  }
  return names;
}

}  // namespace

std::string authorization_header(std::string_view access_key_id, std::string_view signed_headers,
                                 std::string_view signature) {
  std::string out(kAcs3Algorithm);
  out += " Credential=";
  out += access_key_id;
  out += ",SignedHeaders=";
  out += signed_headers;
  out += ",Signature=";
  out += signature;
  return out;
}

std::optional<ParsedAuthorization> parse_authorization(std::string_view header) {
  header = trim_spaces(header);
  if (!header.starts_with(kAcs3Algorithm) || header.size() == kAcs3Algorithm.size() ||
      header[kAcs3Algorithm.size()] != ' ') {
    return std::nullopt;
  }
  std::string_view rest = header.substr(kAcs3Algorithm.size() + 1);
  std::optional<std::string> credential, signed_headers, signature;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = trim_spaces(rest.substr(0, comma));
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos || eq + 1 == item.size()) return std::nullopt;
    const std::string_view key = item.substr(0, eq);
    std::optional<std::string>* slot = key == "Credential"      ? &credential
                                       : key == "SignedHeaders" ? &signed_headers
                                       : key == "Signature"     ? &signature
                                                                : nullptr;
    if (slot == nullptr || slot->has_value()) return std::nullopt;
    *slot = std::string(item.substr(eq + 1));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (!credential || !signed_headers || !signature) return std::nullopt;
  ParsedAuthorization parsed{*credential, split_signed_headers(*signed_headers), *signature};
  for (const auto& name : parsed.signed_headers) {
    if (name.empty()) return std::nullopt;
  }
  return parsed;
}

}  // namespace provision::api
