// STS request building and response reading: pure, table-driven.
#include "api/sts_request.hpp"

#include <doctest/doctest.h>

#include "api/sts_response.hpp"
#include "core/clock.hpp"

using namespace provision;
using namespace provision::api;

namespace {

std::string value_of(const NameValueList& list, std::string_view name) {
  for (const auto& [n, v] : list)
    if (n == name) return v;
  return "<absent>";
}

const auto kNow = *parse_iso8601_utc("2026-11-26T06:39:46Z");

}  // namespace

TEST_CASE("encode_form: RFC 3986, a space is %20, reserved characters escaped") {
  CHECK(encode_form({}) == "");
  CHECK(encode_form({{"a", "b c"}, {"RoleArn", "acs:ram::1:role/x"}, {"t", "a+b=c&d~"}}) ==
        "a=b%20c&RoleArn=acs%3Aram%3A%3A1%3Arole%2Fx&t=a%2Bb%3Dc%26d~");
}

TEST_CASE("AssumeRoleWithOIDC: unsigned, common parameters in the query, the rest in the form body") {
  OidcRoleParams p{"acs:ram::1:role/ci", "acs:ram::1:oidc-provider/gh", "eyJ.token.sig", "ci-run", 1800, ""};
  const StsCall call = assume_role_with_oidc_call("sts.cn-hangzhou.aliyuncs.com", p, kNow);
  CHECK(call.operation == "AssumeRoleWithOIDC");
  CHECK(call.parts.method == "POST");
  CHECK(call.parts.path == "/");
  CHECK(call.parts.query == NameValueList{{"Version", "2015-04-01"},
                                          {"Action", "AssumeRoleWithOIDC"},
                                          {"Format", "JSON"},
                                          {"Timestamp", "2026-11-26T06:39:46Z"}});
  CHECK(call.parts.body ==
        "RoleArn=acs%3Aram%3A%3A1%3Arole%2Fci&OIDCProviderArn=acs%3Aram%3A%3A1%3Aoidc-provider%2Fgh"
        "&OIDCToken=eyJ.token.sig&RoleSessionName=ci-run&DurationSeconds=1800");
  CHECK(value_of(call.parts.headers, "host") == "sts.cn-hangzhou.aliyuncs.com");
  CHECK(value_of(call.parts.headers, "content-type") == "application/x-www-form-urlencoded");
  CHECK(value_of(call.parts.query, "Signature") == "<absent>");
  p.policy = "{\"Version\":\"1\"}";
  CHECK(assume_role_with_oidc_call("h", p, kNow).parts.body.find("&Policy=%7B%22Version%22%3A%221%22%7D") !=
        std::string::npos);
}

TEST_CASE("AssumeRole: SecurityToken only for an STS signer, optional fields only when set") {
  AssumeRoleParams p{"acs:ram::1:role/r", "s", 900, "", ""};
  const Credentials ak{"LTAI", "secret", "", "t"};
  const StsCall plain = assume_role_call("sts.aliyuncs.com", p, ak, kNow, "n1");
  CHECK(value_of(plain.parts.query, "SecurityToken") == "<absent>");
  CHECK(value_of(plain.parts.query, "AccessKeyId") == "LTAI");
  CHECK(value_of(plain.parts.query, "SignatureNonce") == "n1");
  CHECK(plain.parts.body == "RoleArn=acs%3Aram%3A%3A1%3Arole%2Fr&RoleSessionName=s&DurationSeconds=900");
  const Credentials sts{"STS.x", "secret", "tok", "t"};
  p.external_id = "ext";
  const StsCall chained = assume_role_call("sts.aliyuncs.com", p, sts, kNow, "n1");
  CHECK(value_of(chained.parts.query, "SecurityToken") == "tok");
  CHECK(chained.parts.body.find("&ExternalId=ext") != std::string::npos);
  CHECK(value_of(chained.parts.query, "Signature") != value_of(plain.parts.query, "Signature"));
}

TEST_CASE("parse_sts_credentials: success and every malformed shape") {
  const std::string good =
      R"({"RequestId":"r","Credentials":{"AccessKeyId":"STS.a","AccessKeySecret":"s","SecurityToken":"t",)"
      R"("Expiration":"2026-11-26T07:39:46Z"}})";
  const auto ok = parse_sts_credentials(good, "src");
  REQUIRE(std::holds_alternative<TemporaryCredentials>(ok));
  const auto& c = std::get<TemporaryCredentials>(ok);
  CHECK(c.credentials.access_key_id == "STS.a");
  CHECK(c.credentials.access_key_secret == "s");
  CHECK(c.credentials.security_token == "t");
  CHECK(c.credentials.source == "src");
  CHECK(c.expiration - kNow == std::chrono::hours(1));

  struct Row {
    const char* body;
    const char* reason;
  };
  const Row rows[] = {
      {"", "not a JSON object"},
      {"[]", "not a JSON object"},
      {"{}", "no Credentials object"},
      {R"({"Credentials":"x"})", "no Credentials object"},
      {R"({"Credentials":{"AccessKeySecret":"s","SecurityToken":"t","Expiration":"2026-11-26T07:39:46Z"}})",
       "no Credentials.AccessKeyId"},
      {R"({"Credentials":{"AccessKeyId":"a","SecurityToken":"t","Expiration":"2026-11-26T07:39:46Z"}})",
       "no Credentials.AccessKeySecret"},
      {R"({"Credentials":{"AccessKeyId":"a","AccessKeySecret":"s","Expiration":"2026-11-26T07:39:46Z"}})",
       "no Credentials.SecurityToken"},
      {R"({"Credentials":{"AccessKeyId":"a","AccessKeySecret":"s","SecurityToken":"t"}})",
       "no Credentials.Expiration"},
      {R"({"Credentials":{"AccessKeyId":"a","AccessKeySecret":"s","SecurityToken":"t","Expiration":"tomorrow"}})",
       "is not a UTC time"},
  };
  for (const auto& row : rows) {
    INFO(row.body);
    const auto r = parse_sts_credentials(row.body, "src");
    REQUIRE(std::holds_alternative<std::string>(r));
    CHECK(std::get<std::string>(r).find(row.reason) != std::string::npos);
    // The reason never echoes a secret value.
    CHECK(std::get<std::string>(r).find("\"s\"") == std::string::npos);
  }
}

TEST_CASE("parse_iso8601_utc: only the exact UTC shape") {
  CHECK(parse_iso8601_utc("1970-01-01T00:00:00Z") == std::chrono::system_clock::time_point{});
  for (const char* bad : {"", "2026-11-26 06:39:46Z", "2026-11-26T06:39:46", "2026-13-01T00:00:00Z",
                          "2026-11-26T06:39:46.123Z", "+026-11-26T06:39:46Z", "1969-12-31T23:59:59Z"})
    CHECK_FALSE(parse_iso8601_utc(bad).has_value());
}
