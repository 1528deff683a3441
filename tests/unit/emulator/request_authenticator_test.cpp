// Signature checks through the whole handler: accepted, and each way of tampering rejected.
#include "emulator/request_authenticator.hpp"

#include <doctest/doctest.h>

#include "handler_harness.hpp"

using namespace provision;
using namespace provision::emulator;
using namespace provision::emulator::test;

TEST_CASE("a request signed like the official SDK is accepted") {
  Harness h;
  auto r = h.call("POST", kBase, "CreateRayCluster", minimal_body());
  CHECK(r.status == 200);
  CHECK(r.code.empty());
  CHECK(r.action == "CreateRayCluster");
  auto body = boost::json::parse(r.body).as_object();
  CHECK(body.at("requestId").as_string() == r.request_id);
  CHECK(header_of(r, "x-acs-request-id") == r.request_id);
}

TEST_CASE("tampering after signing is rejected") {
  Harness h;
  auto signed_parts = h.signed_request(h.request("POST", kBase, "CreateRayCluster", minimal_body()));

  SUBCASE("body changed, hash header left alone") {
    signed_parts.body = minimal_body("other");
    auto r = h.send(signed_parts);
    CHECK(r.status == 400);
    CHECK(code_of(r) == "ContentSha256Mismatch");
  }
  SUBCASE("body and hash header changed together") {
    signed_parts.body = minimal_body("other");
    api::set_header(signed_parts.headers, "x-acs-content-sha256", api::hex_sha256(signed_parts.body));
    auto r = h.send(signed_parts);
    CHECK(r.status == 400);
    CHECK(code_of(r) == "SignatureDoesNotMatch");
  }
  SUBCASE("a signed header changed") {
    api::set_header(signed_parts.headers, "x-acs-credentials-provider", "static_sts");
    CHECK(code_of(h.send(signed_parts)) == "SignatureDoesNotMatch");
  }
  SUBCASE("the host changed") {
    api::set_header(signed_parts.headers, "host", "localhost:8443");
    CHECK(code_of(h.send(signed_parts)) == "SignatureDoesNotMatch");
  }
  SUBCASE("the path changed") {
    signed_parts.path = "/api/v1/workspaces/w-other/rayCluster";
    CHECK(code_of(h.send(signed_parts)) == "SignatureDoesNotMatch");
  }
  SUBCASE("an unsigned x-acs header added") {
    signed_parts.headers.emplace_back("x-acs-extra", "1");
    auto r = h.send(signed_parts);
    CHECK(code_of(r) == "SignatureDoesNotMatch");
    CHECK(message_of(r).find("x-acs-extra") != std::string::npos);
  }
  SUBCASE("extra x-acs headers are fine when signed") {
    signed_parts.headers.emplace_back("x-acs-extra", "1");
    Harness::resign(signed_parts);
    CHECK(h.send(signed_parts).status == 200);
  }
  SUBCASE("a signature over the right headers with the wrong key") {
    Harness::resign(signed_parts, std::string(kDemoAccessKeyId), "wrong");
    CHECK(code_of(h.send(signed_parts)) == "SignatureDoesNotMatch");
  }
  SUBCASE("unsigned non-ACS headers do not matter") {
    signed_parts.headers.emplace_back("user-agent", "AlibabaCloud (linux; x64)");
    CHECK(h.send(signed_parts).status == 200);
  }
  CHECK(h.store.size() <= 1);
}

TEST_CASE("a wrong secret is rejected and the message holds no secret") {
  Harness h;
  api::Credentials wrong = Harness::demo();
  wrong.access_key_secret = "not-the-secret";
  auto r = h.send(h.signed_request(h.request("GET", kBase, "ListRayCluster"), wrong));
  CHECK(r.status == 400);
  CHECK(code_of(r) == "SignatureDoesNotMatch");
  CHECK(r.body.find("demo-access-key-secret") == std::string::npos);
  CHECK(r.body.find("not-the-secret") == std::string::npos);
}

TEST_CASE("unknown access key, missing or malformed Authorization") {
  Harness h;
  api::Credentials unknown{"nobody", "secret", "", "test"};
  auto r = h.send(h.signed_request(h.request("GET", kBase, "ListRayCluster"), unknown));
  CHECK(r.status == 404);
  CHECK(code_of(r) == "InvalidAccessKeyId.NotFound");

  auto unsigned_parts = h.request("GET", kBase, "ListRayCluster");
  r = h.send(unsigned_parts);
  CHECK(r.status == 400);
  CHECK(code_of(r) == "IncompleteSignature");

  auto parts = h.signed_request(h.request("GET", kBase, "ListRayCluster"));
  api::set_header(parts.headers, "Authorization", "ACS3-HMAC-SHA256 Credential=x");
  CHECK(code_of(h.send(parts)) == "IncompleteSignature");
}

TEST_CASE("a replayed nonce is rejected, a fresh one accepted") {
  Harness h;
  auto parts = h.signed_request(h.request("GET", kBase, "ListRayCluster"));
  CHECK(h.send(parts).status == 200);
  auto replay = h.send(parts);
  CHECK(replay.status == 400);
  CHECK(code_of(replay) == "SignatureNonceUsed");
  CHECK(h.call("GET", kBase, "ListRayCluster").status == 200);
}

TEST_CASE("a failed signature does not burn the nonce") {
  Harness h;
  auto parts = h.signed_request(h.request("GET", kBase, "ListRayCluster"));
  auto tampered = parts;
  api::set_header(tampered.headers, "x-acs-credentials-provider", "other");
  CHECK(code_of(h.send(tampered)) == "SignatureDoesNotMatch");
  CHECK(h.send(parts).status == 200);
}

TEST_CASE("x-acs-date more than 15 minutes off is expired") {
  Harness h;
  auto parts = h.signed_request(h.request("GET", kBase, "ListRayCluster"));
  SUBCASE("14 minutes late is fine") {
    h.advance(std::chrono::minutes(14));
    CHECK(h.send(parts).status == 200);
  }
  SUBCASE("16 minutes late") {
    h.advance(std::chrono::minutes(16));
    auto r = h.send(parts);
    CHECK(r.status == 400);
    CHECK(code_of(r) == "InvalidTimeStamp.Expired");
  }
  SUBCASE("16 minutes early") {
    h.advance(-std::chrono::minutes(16));
    CHECK(code_of(h.send(parts)) == "InvalidTimeStamp.Expired");
  }
}

TEST_CASE("dates beyond the clock's range are expired, not an overflow (fuzz finding)") {
  for (const char* date : {"4194-01-15T08:00:00Z", "9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z"}) {
    CAPTURE(date);
    const auto t = provision::emulator::parse_acs_date(date);
    REQUIRE(t.has_value());
    Harness h;
    auto parts = h.request("GET", kBase, "ListRayCluster");
    parts = h.signed_request(parts);
    provision::api::set_header(parts.headers, "x-acs-date", date);
    CHECK(code_of(h.send(parts)) == "InvalidTimeStamp.Expired");
  }
}

TEST_CASE("missing or malformed signing headers") {
  Harness h;
  auto parts = h.signed_request(h.request("GET", kBase, "ListRayCluster"));
  SUBCASE("no date") {
    api::remove_header(parts.headers, "x-acs-date");
    auto r = h.send(parts);
    CHECK(code_of(r) == "MissingParameter");
    CHECK(message_of(r).find("x-acs-date") != std::string::npos);
  }
  SUBCASE("no nonce") {
    api::remove_header(parts.headers, "x-acs-signature-nonce");
    CHECK(code_of(h.send(parts)) == "MissingParameter");
  }
  SUBCASE("no content hash") {
    api::remove_header(parts.headers, "x-acs-content-sha256");
    CHECK(code_of(h.send(parts)) == "MissingParameter");
  }
  SUBCASE("a date in another format") {
    api::set_header(parts.headers, "x-acs-date", "Thu, 26 Nov 2026 06:39:46 GMT");
    CHECK(code_of(h.send(parts)) == "InvalidTimeStamp.Format");
  }
}

TEST_CASE("STS requests need the key's token") {
  Harness h;
  api::Credentials sts{kStsId, kStsSecret, kStsToken, "test"};
  auto request = h.request("GET", kBase, "ListRayCluster");
  api::set_header(request.headers, "x-acs-credentials-provider", "static_sts");
  CHECK(h.send(h.signed_request(request, sts)).status == 200);

  api::Credentials wrong_token = sts;
  wrong_token.security_token = "another-token";
  auto r = h.send(h.signed_request(request, wrong_token));
  CHECK(r.status == 400);
  CHECK(code_of(r) == "InvalidSecurityToken.MismatchWithAccessKey");
  CHECK(r.body.find("another-token") == std::string::npos);

  api::Credentials no_token = sts;
  no_token.security_token.clear();
  CHECK(code_of(h.send(h.signed_request(request, no_token))) == "InvalidSecurityToken.MismatchWithAccessKey");

  api::Credentials ak_with_token = Harness::demo();
  ak_with_token.security_token = "token";
  CHECK(code_of(h.send(h.signed_request(request, ak_with_token))) ==
        "InvalidSecurityToken.MismatchWithAccessKey");
}

TEST_CASE("x-acs-accesskey-id must name the Credential") {
  Harness h;
  auto request = h.signed_request(h.request("GET", kBase, "ListRayCluster"));
  request.headers.emplace_back("x-acs-accesskey-id", "someone-else");
  Harness::resign(request);
  CHECK(code_of(h.send(request)) == "InvalidAccessKeyId.Mismatch");
  api::set_header(request.headers, "x-acs-accesskey-id", kDemoAccessKeyId);
  api::set_header(request.headers, "x-acs-signature-nonce", "another-nonce");
  Harness::resign(request);
  CHECK(h.send(request).status == 200);
}

TEST_CASE("parse_acs_date accepts only the x-acs-date format") {
  auto t = parse_acs_date("2023-10-26T10:22:32Z");
  REQUIRE(t);
  CHECK(format_iso8601_utc(*t) == "2023-10-26T10:22:32Z");
  CHECK_FALSE(parse_acs_date("2023-10-26T10:22:32"));
  CHECK_FALSE(parse_acs_date("2023-10-26 10:22:32Z"));
  CHECK_FALSE(parse_acs_date("2023-13-26T10:22:32Z"));
  CHECK_FALSE(parse_acs_date("2023-10-26T10:22:3xZ"));
}

TEST_CASE("the published CreateRayCluster vector (api.md 3.5 C) is accepted as sent") {
  FixedClock clock{std::chrono::system_clock::time_point{std::chrono::seconds{1698315752}}};
  SeededRandom random{1};
  ClusterStore store;
  AccessKeyTable keys;
  keys.add({"YourAccessKeyId", "YourAccessKeySecret", "", std::nullopt});
  RequestHandler handler(fast_settings(), keys, store, clock, random);
  api::HttpRequestParts r;
  r.method = "POST";
  r.path = "/api/v1/workspaces/w-d2d82aa09155/rayCluster";
  r.body =
      R"json({"name":"testRayCluster","displayReleaseVersion":"ray-1.0.0 (Ray 2.47.1, Python 3.12)","headSpec":{"queueName":"root_queue","cpu":"2","memory":"8Gi"},"workerSpec":[{"groupName":"WorkerGroup1","workerType":"CPU","replica":2,"queueName":"root_queue","cpu":"4","memory":"16Gi"}]})json";
  r.headers = {{"host", "emr-serverless-spark.cn-hangzhou.aliyuncs.com"},
               {"content-type", "application/json; charset=utf-8"},
               {"x-acs-action", "CreateRayCluster"},
               {"x-acs-version", "2023-08-08"},
               {"x-acs-date", "2023-10-26T10:22:32Z"},
               {"x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"},
               {"x-acs-content-sha256", "fe14b6b76280129ea46e5e4142846615b0c955c17bc17037919e28a134b331ef"},
               {"accept", "application/json"},
               {"Authorization",
                "ACS3-HMAC-SHA256 "
                "Credential=YourAccessKeyId,SignedHeaders=content-type;host;x-acs-action;x-acs-content-"
                "sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature="
                "a6d9867a422a53c2cf12c2bab4ee3ab3aa336e2cb1dfad6808049b158efe1931"}};
  auto ok = handler.handle(r);
  CHECK(ok.status == 200);
  CHECK(store.size() == 1);
  auto replay = handler.handle(r);
  CHECK(code_of(replay) == "SignatureNonceUsed");
}
