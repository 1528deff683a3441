// URI redaction: a pure string function, so every message and plan file that names a
// PostgreSQL state can go through it.
#include "state/connection_uri.hpp"

#include <vector>

namespace provision::state {
namespace {

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (static_cast<char>(s[i] | 0x20) != prefix[i]) return false;
  return true;
}

bool is_password_parameter(std::string_view parameter) {
  const std::string_view key = parameter.substr(0, parameter.find('='));
  return key == "password" || key == "sslpassword";
}

}  // namespace

bool is_postgres_uri(std::string_view location) {
  return starts_with_ci(location, "postgresql://") || starts_with_ci(location, "postgres://");
}

std::string redact_uri(std::string_view uri) {
  const std::size_t scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos) return std::string(uri);
  const std::size_t authority = scheme_end + 3;
  std::string_view rest = uri.substr(authority);
  // The authority ends at the first '/', '?' or '#'; a user-info part ends at its last '@'.
  const std::size_t authority_end = rest.find_first_of("/?#");
  const std::string_view auth = rest.substr(0, authority_end);
  std::string out(uri.substr(0, authority));
  const std::size_t at = auth.rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view user_info = auth.substr(0, at);
    out += user_info.substr(0, user_info.find(':'));
    out += auth.substr(at);
  } else {
    out += auth;
  }
  if (authority_end == std::string_view::npos) return out;
  std::string_view tail = rest.substr(authority_end);
  const std::size_t query = tail.find('?');
  out += tail.substr(0, query);
  if (query == std::string_view::npos) return out;
  std::string_view params = tail.substr(query + 1);
  std::string_view fragment;
  if (const std::size_t hash = params.find('#'); hash != std::string_view::npos) {
    fragment = params.substr(hash);
    params = params.substr(0, hash);
  }
  std::vector<std::string_view> kept;
  while (!params.empty()) {
    const std::size_t amp = params.find('&');
    const std::string_view p = params.substr(0, amp);
    if (!p.empty() && !is_password_parameter(p)) kept.push_back(p);
    params = amp == std::string_view::npos ? std::string_view() : params.substr(amp + 1);
  }
  for (std::size_t i = 0; i < kept.size(); ++i) {
    out += i == 0 ? '?' : '&';
    out += kept[i];
  }
  out += fragment;
  return out;
}

}  // namespace provision::state
