// Strict: every field must be a non-empty string, or the credentials are not used at all.
#include "api/sts_response.hpp"

#include <boost/json.hpp>

#include "core/clock.hpp"

namespace provision::api {

std::variant<TemporaryCredentials, std::string> parse_sts_credentials(std::string_view body,
                                                                      const std::string& source) {
  boost::system::error_code ec;
  const boost::json::value doc = boost::json::parse(body, ec);
  if (ec || !doc.is_object()) return std::string("the response is not a JSON object");
  const auto* creds = doc.as_object().if_contains("Credentials");
  if (creds == nullptr || !creds->is_object()) return std::string("the response has no Credentials object");
  std::string fields[4];
  const char* names[4] = {"AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration"};
  for (int i = 0; i < 4; ++i) {
    const auto* v = creds->as_object().if_contains(names[i]);
    if (v == nullptr || !v->is_string() || v->as_string().empty())
      return std::string("the response has no Credentials.") + names[i];
    fields[i] = std::string(v->as_string());
  }
  const auto expiration = parse_iso8601_utc(fields[3]);
  if (!expiration)
    return "Credentials.Expiration '" + fields[3] + "' is not a UTC time like 2026-01-02T15:04:05Z";
  TemporaryCredentials out{Credentials{fields[0], fields[1], fields[2], source}, *expiration};
  return out;
}

}  // namespace provision::api
