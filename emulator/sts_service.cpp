// STS error codes and messages follow Alibaba's STS (MissingParameter, InvalidParameter.*,
// AuthenticationFail.OIDCToken.Invalid, the gateway's signature codes); see doc/emulator.md.
#include "emulator/sts_service.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "api/signing/digest.hpp"
#include "api/signing/rpc_signature.hpp"
#include "core/error.hpp"
#include "emulator/atomic_file.hpp"
#include "emulator/form_body.hpp"
#include "emulator/request_authenticator.hpp"

namespace provision::emulator {
namespace {

constexpr std::string_view kStsVersion = "2015-04-01";
constexpr int kMinDuration = 900;
constexpr int kMaxDuration = 43200;

std::string param(const api::NameValueList& params, std::string_view name) {
  for (const auto& [n, v] : params)
    if (n == name) return v;
  return {};
}

api::NameValueList all_params(const api::HttpRequestParts& request) {
  api::NameValueList params = request.query;
  const auto form = parse_form_body(request.body);
  params.insert(params.end(), form.begin(), form.end());
  return params;
}

std::string random_text(Random& random, std::size_t n) {
  static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += kChars[random.below(sizeof kChars - 1)];
  return out;
}

// "acs:ram::<account>:role/<name>": the account id, or "" when malformed.
std::string role_account(const std::string& arn) {
  constexpr std::string_view kPrefix = "acs:ram::";
  if (arn.rfind(kPrefix, 0) != 0) return {};
  const auto colon = arn.find(':', kPrefix.size());
  if (colon == std::string::npos || colon == kPrefix.size()) return {};
  if (arn.compare(colon + 1, 5, "role/") != 0 || arn.size() <= colon + 6) return {};
  return arn.substr(kPrefix.size(), colon - kPrefix.size());
}

}  // namespace

bool is_sts_request(const api::HttpRequestParts& request) {
  if (request.path != "/") return false;
  std::string action = param(request.query, "Action");
  if (action.empty()) action = param(parse_form_body(request.body), "Action");
  return action == "AssumeRole" || action == "AssumeRoleWithOIDC";
}

StsService::StsService(StsSettings settings, AccessKeyTable& keys, NonceCache& nonces, Random& random)
    : settings_(std::move(settings)), keys_(keys), nonces_(nonces), random_(random) {}

std::optional<ApiError> StsService::check_signed(const api::NameValueList& params,
                                                 const api::HttpRequestParts& request,
                                                 std::chrono::system_clock::time_point now) {
  for (const char* name :
       {"SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "AccessKeyId", "Signature"})
    if (param(params, name).empty()) return missing_parameter(name);
  if (param(params, "SignatureMethod") != api::kRpcSignatureMethod ||
      param(params, "SignatureVersion") != api::kRpcSignatureVersion)
    return invalid_parameter("SignatureMethod", "only HMAC-SHA1 with SignatureVersion 1.0 is supported");
  const std::string timestamp = param(params, "Timestamp");
  const auto sent_at = parse_acs_date(timestamp);
  if (!sent_at)
    return ApiError{400, "InvalidTimeStamp.Format",
                    "Specified time stamp or date value is not well formatted: " + timestamp + "."};
  if (*sent_at > now + settings_.max_clock_skew || *sent_at < now - settings_.max_clock_skew)
    return ApiError{400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."};
  const AccessKey* key = keys_.find(param(params, "AccessKeyId"));
  if (key == nullptr)
    return ApiError{404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."};
  if (!api::rpc_signature_matches(request.method, params, key->secret, param(params, "Signature")))
    return ApiError{400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation."};
  const std::string token = param(params, "SecurityToken");
  const bool token_ok =
      key->security_token.empty() ? token.empty() : api::constant_time_equal(token, key->security_token);
  if (!token_ok)
    return ApiError{400, "InvalidSecurityToken.MismatchWithAccessKey",
                    "The security token is missing or does not belong to the access key."};
  if (key->expires_at && now >= *key->expires_at) return expired_security_token();
  if (!nonces_.remember("sts:" + key->id + ":" + param(params, "SignatureNonce"), now))
    return ApiError{400, "SignatureNonceUsed", "Specified signature nonce was used already."};
  return std::nullopt;
}

StsAnswer StsService::handle(const api::HttpRequestParts& request, const std::string& request_id,
                             std::chrono::system_clock::time_point now) {
  StsAnswer answer;
  const api::NameValueList params = all_params(request);
  answer.action = param(params, "Action");
  auto fail = [&](ApiError e) {
    answer.error = std::move(e);
    return answer;
  };
  if (request.method != "POST" && request.method != "GET")
    return fail(action_not_found(request.method, request.path));
  if (param(params, "Version") != kStsVersion)
    return fail({400, "InvalidVersion", "Specified parameter Version is not valid."});

  if (answer.action == "AssumeRole") {
    if (auto e = check_signed(params, request, now)) return fail(*e);
  } else {
    const std::string token = param(params, "OIDCToken");
    if (token.empty()) return fail(missing_parameter("OIDCToken"));
    if (param(params, "OIDCProviderArn").empty()) return fail(missing_parameter("OIDCProviderArn"));
    if (settings_.oidc_tokens.count(token) == 0)
      return fail({400, "AuthenticationFail.OIDCToken.Invalid", "Specified OIDCToken is invalid."});
  }

  const std::string role_arn = param(params, "RoleArn");
  if (role_arn.empty()) return fail(missing_parameter("RoleArn"));
  if (role_account(role_arn).empty())
    return fail({400, "InvalidParameter.RoleArn", "The parameter RoleArn is wrongly formed."});
  if (param(params, "RoleSessionName").empty()) return fail(missing_parameter("RoleSessionName"));
  const std::string duration_text = param(params, "DurationSeconds");
  if (!duration_text.empty()) {
    int seconds = 0;
    const auto [end, ec] =
        std::from_chars(duration_text.data(), duration_text.data() + duration_text.size(), seconds);
    if (ec != std::errc() || end != duration_text.data() + duration_text.size() || seconds < kMinDuration ||
        seconds > kMaxDuration)
      return fail({400, "InvalidParameter.DurationSeconds",
                   "The DurationSeconds must be between 900 and 43200 seconds."});
  }
  answer.body = issue(params, answer.action, request_id, now);
  return answer;
}

std::string StsService::issue(const api::NameValueList& params, const std::string& action,
                              const std::string& request_id, std::chrono::system_clock::time_point now) {
  std::chrono::seconds lifetime{3600};
  if (const std::string d = param(params, "DurationSeconds"); !d.empty())
    lifetime = std::chrono::seconds(std::stoi(d));
  if (settings_.duration) lifetime = *settings_.duration;
  keys_.forget_expired_before(now - std::chrono::minutes(15));

  AccessKey key{"STS." + random_text(random_, 24), random_text(random_, 30),
                "CAIS" + random_text(random_, 96),
                std::chrono::time_point_cast<std::chrono::seconds>(now) + lifetime};
  keys_.add(key);

  const std::string role_arn = param(params, "RoleArn");
  const std::string session = param(params, "RoleSessionName");
  boost::json::object body;
  body["RequestId"] = request_id;
  body["AssumedRoleUser"] = {{"AssumedRoleId", random_text(random_, 17) + ":" + session},
                             {"Arn", role_arn + "/" + session}};
  body["Credentials"] = {{"AccessKeyId", key.id},
                         {"AccessKeySecret", key.secret},
                         {"SecurityToken", key.security_token},
                         {"Expiration", format_iso8601_utc(*key.expires_at)}};
  if (action == "AssumeRoleWithOIDC")
    body["OIDCTokenInfo"] = {{"Issuer", "https://oidc.emulator.invalid"},
                             {"ClientIds", "sts.aliyuncs.com"},
                             {"Subject", "emulated-subject"}};
  return boost::json::serialize(body);
}

std::set<std::string> StsService::load_oidc_tokens(const std::string& file) {
  const auto text = read_file_if_exists(file);
  if (!text) throw Error(ErrorKind::kUsage, "--oidc-tokens: file not found: " + file);
  std::set<std::string> tokens;
  std::size_t start = 0;
  while (start <= text->size()) {
    std::size_t end = text->find('\n', start);
    if (end == std::string::npos) end = text->size();
    std::string line = text->substr(start, end - start);
    start = end + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.pop_back();
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.erase(0, 1);
    if (line.empty() || line.front() == '#') continue;
    tokens.insert(line);
  }
  if (tokens.empty()) throw Error(ErrorKind::kUsage, "--oidc-tokens " + file + ": no tokens in the file");
  return tokens;
}

}  // namespace provision::emulator
