// The emulator's STS without sockets: requests built by the real client builders
// (api/sts_request.hpp), answers checked code by code, issued keys accepted by the Ray-cluster
// authentication until they expire.
#include "emulator/sts_service.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "api/signing/acs3_signer.hpp"
#include "api/sts_request.hpp"
#include "core/clock.hpp"
#include "emulator/request_authenticator.hpp"

using namespace provision;
using namespace provision::emulator;
using namespace std::chrono_literals;

namespace {

const auto kNow = *parse_iso8601_utc("2026-11-26T06:39:46Z");
const api::Credentials kDemo{"demo-access-key-id", "demo-access-key-secret", "", "t"};
const api::AssumeRoleParams kRole{"acs:ram::123456789012:role/ci", "ci", 3600, "", ""};
const api::OidcRoleParams kOidc{
    "acs:ram::123456789012:role/ci", "acs:ram::123456789012:oidc-provider/gl", "good-token", "ci", 3600, ""};

struct Rig {
  explicit Rig(StsSettings settings = {}) : sts(with_tokens(std::move(settings)), keys, nonces, random) {
    keys.add({kDemo.access_key_id, kDemo.access_key_secret, "", std::nullopt});
  }
  static StsSettings with_tokens(StsSettings s) {
    s.oidc_tokens.insert("good-token");
    return s;
  }
  StsAnswer send(const api::StsCall& call, std::chrono::system_clock::time_point at = kNow) {
    return sts.handle(call.parts, "REQ-1", at);
  }
  std::string code(const api::StsCall& call, std::chrono::system_clock::time_point at = kNow) {
    const StsAnswer a = send(call, at);
    return a.error ? a.error->code : "OK";
  }
  api::Credentials issued(const StsAnswer& a) {
    const auto c = boost::json::parse(a.body).at("Credentials").as_object();
    return {std::string(c.at("AccessKeyId").as_string()), std::string(c.at("AccessKeySecret").as_string()),
            std::string(c.at("SecurityToken").as_string()), "issued"};
  }

  AccessKeyTable keys;
  NonceCache nonces{std::chrono::minutes(30), 1000};
  SeededRandom random{7};
  StsService sts;
};

api::StsCall role_call(const api::Credentials& signer, const std::string& nonce = "n1",
                       api::AssumeRoleParams params = kRole,
                       std::chrono::system_clock::time_point at = kNow) {
  return api::assume_role_call("127.0.0.1:8443", params, signer, at, nonce);
}

}  // namespace

TEST_CASE("STS requests are recognised by path and Action") {
  CHECK(is_sts_request(role_call(kDemo).parts));
  CHECK(is_sts_request(api::assume_role_with_oidc_call("h", kOidc, kNow).parts));
  auto other = role_call(kDemo).parts;
  other.path = "/api/v1/workspaces/w-1/rayCluster";
  CHECK_FALSE(is_sts_request(other));
  // Action in the form body instead of the query.
  api::HttpRequestParts form;
  form.method = "POST";
  form.path = "/";
  form.body = "Action=AssumeRoleWithOIDC&Version=2015-04-01";
  CHECK(is_sts_request(form));
}

TEST_CASE("AssumeRole: every check, in order") {
  Rig rig;
  CHECK(rig.code(role_call(kDemo)) == "OK");
  CHECK(rig.code(role_call(kDemo)) == "SignatureNonceUsed");  // same nonce again
  CHECK(rig.code(role_call({"LTAI-x", "s", "", "t"}, "n2")) == "InvalidAccessKeyId.NotFound");
  CHECK(rig.code(role_call({kDemo.access_key_id, "wrong", "", "t"}, "n3")) == "SignatureDoesNotMatch");
  CHECK(rig.code(role_call(kDemo, "n4", kRole, kNow - 16min)) == "InvalidTimeStamp.Expired");
  auto tampered = role_call(kDemo, "n5");
  tampered.parts.body += "&Policy=%7B%7D";
  CHECK(rig.code(tampered) == "SignatureDoesNotMatch");
  auto bad_arn = kRole;
  bad_arn.role_arn = "acs:ram::123:user/x";
  CHECK(rig.code(role_call(kDemo, "n6", bad_arn)) == "InvalidParameter.RoleArn");
  auto short_role = kRole;
  short_role.duration_seconds = 899;
  CHECK(rig.code(role_call(kDemo, "n7", short_role)) == "InvalidParameter.DurationSeconds");
  auto no_session = kRole;
  no_session.role_session_name.clear();
  CHECK(rig.code(role_call(kDemo, "n8", no_session)) == "MissingParameter");
  auto version = role_call(kDemo, "n9");
  version.parts.query[0].second = "2014-01-01";
  CHECK(rig.code(version) == "InvalidVersion");
}

TEST_CASE("AssumeRoleWithOIDC: tokens from --oidc-tokens only") {
  Rig rig;
  const StsAnswer ok = rig.send(api::assume_role_with_oidc_call("h", kOidc, kNow));
  REQUIRE_FALSE(ok.error);
  CHECK(ok.action == "AssumeRoleWithOIDC");
  const auto body = boost::json::parse(ok.body).as_object();
  CHECK(body.at("RequestId").as_string() == "REQ-1");
  CHECK(body.at("AssumedRoleUser").at("Arn").as_string() == "acs:ram::123456789012:role/ci/ci");
  CHECK(body.at("Credentials").at("Expiration").as_string() == "2026-11-26T07:39:46Z");
  auto refused = kOidc;
  refused.oidc_token = "other-token";
  const StsAnswer no = rig.send(api::assume_role_with_oidc_call("h", refused, kNow));
  REQUIRE(no.error);
  CHECK(no.error->code == "AuthenticationFail.OIDCToken.Invalid");
  CHECK(no.error->message.find("other-token") == std::string::npos);
}

TEST_CASE("issued keys: STS. prefix, token, --sts-duration, accepted until they expire, chainable") {
  StsSettings settings;
  settings.duration = 5s;
  Rig rig(settings);
  const StsAnswer answer = rig.send(role_call(kDemo));
  REQUIRE_FALSE(answer.error);
  const api::Credentials issued = rig.issued(answer);
  CHECK(issued.access_key_id.rfind("STS.", 0) == 0);
  CHECK(issued.security_token.rfind("CAIS", 0) == 0);
  CHECK(boost::json::parse(answer.body).at("Credentials").at("Expiration").as_string() ==
        "2026-11-26T06:39:51Z");

  // The Ray-cluster API's authentication: signed with the issued key, before and after expiry.
  auto ray_request = [&](std::chrono::system_clock::time_point at) {
    api::HttpRequestParts r;
    r.method = "GET";
    r.host = "127.0.0.1:8443";
    r.path = "/api/v1/workspaces/w-1/rayCluster";
    r.headers = {{"host", r.host}, {"x-acs-action", "ListRayCluster"}, {"x-acs-version", "2023-08-08"}};
    FixedClock clock(at);
    SeededRandom random(static_cast<std::uint64_t>(at.time_since_epoch().count()));
    api::sign_request(r, issued, clock, random);
    return authenticate(r, rig.keys, rig.nonces, at, std::chrono::minutes(15));
  };
  CHECK_FALSE(ray_request(kNow + 4s).error);
  const auto late = ray_request(kNow + 5s);
  REQUIRE(late.error);
  CHECK(late.error->code == "InvalidSecurityToken.Expired");
  CHECK(late.error->message == "Specified SecurityToken is expired.");

  // A chained AssumeRole signed by the issued key works until it expires too.
  CHECK(rig.code(role_call(issued, "c1", kRole, kNow + 1s), kNow + 1s) == "OK");
  CHECK(rig.code(role_call(issued, "c2", kRole, kNow + 6s), kNow + 6s) == "InvalidSecurityToken.Expired");
  api::Credentials tokenless = issued;
  tokenless.security_token.clear();
  CHECK(rig.code(role_call(tokenless, "c3", kRole, kNow + 1s), kNow + 1s) ==
        "InvalidSecurityToken.MismatchWithAccessKey");
}
