// Dry-run masking; tokens are masked completely because even a prefix is not ours to show.
#include "api/signing/redaction.hpp"

#include <string>

#include "api/signing/authorization.hpp"

namespace provision::api {
namespace {

constexpr std::string_view kMask = "***";

std::string mask_prefix(std::string_view value) {
  // Short ids are masked whole, so at least as much is hidden as shown.
  if (value.size() <= 8) return std::string(kMask);
  return std::string(value.substr(0, 4)) + std::string(kMask);
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ';';
    out += n;
  }
  return out;
}

}  // namespace

NameValueList redacted_headers(const NameValueList& headers) {
  NameValueList out = headers;
  for (auto& [name, value] : out) {
    if (header_name_equal(name, "authorization")) {
      const auto parsed = parse_authorization(value);
      value = parsed ? authorization_header(mask_prefix(parsed->access_key_id), join(parsed->signed_headers),
                                            kMask)
                     : std::string(kMask);
    } else if (header_name_equal(name, "x-acs-accesskey-id")) {
      value = mask_prefix(value);
    } else if (header_name_equal(name, "x-acs-security-token")) {
      value = kMask;
    }
  }
  return out;
}

}  // namespace provision::api
