// The three IMDS steps of the official credentials library, with errors that say which step failed.
#include "api/imds_credentials.hpp"

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/percent_encoding.hpp"

namespace provision::api {
namespace {

constexpr std::string_view kTokenPath = "/latest/api/token";
constexpr std::string_view kRolesPath = "/latest/meta-data/ram/security-credentials/";

std::string where(const ImdsOptions& o) {
  return "the ECS metadata service at " + o.endpoint.host + ":" + std::to_string(o.endpoint.port);
}

[[noreturn]] void fail(const ImdsOptions& o, const std::string& what) {
  const std::string prefix = o.context.empty() ? std::string("ECS RAM role") : o.context;
  throw Error(ErrorKind::kCredentials, prefix + ": " + what);
}

ImdsResponse call(const ImdsOptions& o, std::string_view method, std::string_view path,
                  const NameValueList& headers, const std::string& step) {
  try {
    return imds_request(o.endpoint, method, path, headers);
  } catch (const Error& e) {
    fail(o, step + " failed: " + e.what() + " (is this an ECS instance with a RAM role attached?)");
  }
}

std::string first_line(std::string_view body) {
  const auto end = body.find_first_of("\r\n");
  std::string_view line = body.substr(0, end);
  while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
  return std::string(line);
}

std::string member(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

namespace {

// The three steps; `expiration` receives the answer's Expiration text.
Credentials fetch(const ImdsOptions& o, std::string& expiration);

}  // namespace

Credentials fetch_ecs_ram_role_credentials(const ImdsOptions& o) {
  std::string ignored;
  return fetch(o, ignored);
}

TemporaryCredentials fetch_ecs_ram_role_temporary(const ImdsOptions& o,
                                                  std::chrono::system_clock::time_point fallback) {
  std::string expiration;
  TemporaryCredentials out{fetch(o, expiration), fallback};
  if (auto parsed = parse_iso8601_utc(expiration)) out.expiration = *parsed;
  return out;
}

namespace {

Credentials fetch(const ImdsOptions& o, std::string& expiration) {
  NameValueList auth;
  {
    // IMDSv2: a session token; without it, fall back to v1 unless v1 is disabled.
    std::string problem;
    try {
      const auto r =
          imds_request(o.endpoint, "PUT", kTokenPath, {{"X-aliyun-ecs-metadata-token-ttl-seconds", "21600"}});
      if (r.status == 200 && !r.body.empty()) {
        auth.emplace_back("X-aliyun-ecs-metadata-token", r.body);
      } else {
        problem = "HTTP " + std::to_string(r.status);
      }
    } catch (const Error& e) {
      problem = e.what();
    }
    if (!problem.empty() && o.imdsv1_disabled) {
      fail(o, "getting a metadata token from " + where(o) + " failed (" + problem +
                  ") and ALIBABA_CLOUD_IMDSV1_DISABLED=true forbids the fallback");
    }
  }

  std::string role = o.role_name;
  if (role.empty()) {
    const auto r = call(o, "GET", kRolesPath, auth, "discovering the RAM role name");
    if (r.status != 200) {
      fail(o,
           "discovering the RAM role name from " + where(o) + " returned HTTP " + std::to_string(r.status));
    }
    role = first_line(r.body);
    if (role.empty()) fail(o, where(o) + " reports no RAM role attached to this instance");
  }

  const std::string step = "getting credentials for RAM role '" + role + "'";
  const auto r = call(o, "GET", std::string(kRolesPath) + percent_encode(role), auth, step);
  if (r.status != 200) fail(o, step + " from " + where(o) + " returned HTTP " + std::to_string(r.status));
  boost::system::error_code ec;
  const auto doc = boost::json::parse(r.body, ec);
  if (ec || !doc.is_object()) fail(o, step + ": the response is not a JSON object");
  const auto& obj = doc.as_object();
  if (const auto code = member(obj, "Code"); code != "Success") {
    fail(o, step + ": Code is '" + code + "', expected 'Success'");
  }
  Credentials c{member(obj, "AccessKeyId"), member(obj, "AccessKeySecret"), member(obj, "SecurityToken"),
                (o.context.empty() ? std::string("ECS RAM role") : o.context) + " role '" + role + "'"};
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string*>{"AccessKeyId", &c.access_key_id},
        {"AccessKeySecret", &c.access_key_secret},
        {"SecurityToken", &c.security_token}}) {
    if (value->empty()) fail(o, step + ": the response has no " + field);
  }
  expiration = member(obj, "Expiration");
  return c;
}

}  // namespace

}  // namespace provision::api
