// sign_request, parse_authorization, verify_signature and redaction on concrete requests.
#include <doctest/doctest.h>

#include <chrono>
#include <map>

#include "api/signing/acs3_signer.hpp"
#include "core/error.hpp"
#include "signing_nonce_random.hpp"

using namespace provision;
using namespace provision::api;

namespace {

// 2023-10-26T10:22:32Z, the date of the official vector.
FixedClock vector_clock() {
  return FixedClock{std::chrono::system_clock::time_point{std::chrono::seconds{1698315752}}};
}

HttpRequestParts official_request() {
  HttpRequestParts r;
  r.method = "POST";
  r.path = "/";
  r.query = {{"ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"}, {"RegionId", "cn-shanghai"}};
  r.headers = {{"host", "ecs.cn-shanghai.aliyuncs.com"},
               {"x-acs-action", "RunInstances"},
               {"x-acs-version", "2014-05-26"}};
  return r;
}

const Credentials kOfficial{"YourAccessKeyId", "YourAccessKeySecret", "", "test"};

// The official request signed at the vector's date with STS credentials.
HttpRequestParts signed_with_sts(const Credentials& credentials, std::uint64_t seed) {
  auto r = official_request();
  SeededRandom random{seed};
  sign_request(r, credentials, vector_clock(), random);
  return r;
}

SignatureVerdict verify(const HttpRequestParts& r) {
  const std::map<std::string, std::string, std::less<>> secrets = {{"YourAccessKeyId", "YourAccessKeySecret"},
                                                                   {"STS.Id", "StsSecret"}};
  return verify_signature(r, [&](std::string_view id) -> std::optional<std::string> {
    const auto it = secrets.find(id);
    if (it == secrets.end()) return std::nullopt;
    return it->second;
  });
}

}  // namespace

TEST_CASE("sign_request reproduces the official vector") {
  auto r = official_request();
  const auto clock = vector_clock();
  test::NonceRandom random{"3156853299f313e23d1673dc12e1703d"};
  sign_request(r, kOfficial, clock, random);
  CHECK(find_header(r.headers, "x-acs-date") == std::optional<std::string_view>("2023-10-26T10:22:32Z"));
  CHECK(find_header(r.headers, "x-acs-signature-nonce") ==
        std::optional<std::string_view>("3156853299f313e23d1673dc12e1703d"));
  CHECK(find_header(r.headers, "x-acs-content-sha256") == std::optional<std::string_view>(kEmptyPayloadHash));
  CHECK(
      find_header(r.headers, "authorization") ==
      std::optional<std::string_view>(
          "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;"
          "x-acs-date;x-acs-signature-nonce;x-acs-version,"
          "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"));
  CHECK(verify(r).check == SignatureCheck::kOk);
}

TEST_CASE("re-signing replaces date, nonce and Authorization instead of duplicating them") {
  auto r = official_request();
  auto clock = vector_clock();
  SeededRandom random{1};
  sign_request(r, kOfficial, clock, random);
  const std::string first_auth(*find_header(r.headers, "authorization"));
  clock.advance(std::chrono::seconds{5});
  sign_request(r, kOfficial, clock, random);
  CHECK(r.headers.size() == 7);  // 3 given + date, nonce, content hash, Authorization
  CHECK(find_header(r.headers, "x-acs-date") == std::optional<std::string_view>("2023-10-26T10:22:37Z"));
  CHECK(*find_header(r.headers, "authorization") != first_auth);
  CHECK(verify(r).check == SignatureCheck::kOk);
}

TEST_CASE("sign_request with STS credentials signs the token and the access key id") {
  auto r = signed_with_sts(Credentials{"STS.Id", "StsSecret", "Token/with+plus=", "test"}, 2);
  CHECK(find_header(r.headers, "x-acs-security-token") ==
        std::optional<std::string_view>("Token/with+plus="));
  CHECK(find_header(r.headers, "x-acs-accesskey-id") == std::optional<std::string_view>("STS.Id"));
  const auto parsed = parse_authorization(*find_header(r.headers, "authorization"));
  REQUIRE(parsed);
  CHECK(parsed->access_key_id == "STS.Id");
  CHECK(parsed->signed_headers == std::vector<std::string>{"host", "x-acs-accesskey-id", "x-acs-action",
                                                           "x-acs-content-sha256", "x-acs-date",
                                                           "x-acs-security-token", "x-acs-signature-nonce",
                                                           "x-acs-version"});
  CHECK(verify(r).check == SignatureCheck::kOk);
}

TEST_CASE("sign_request takes the host field when no host header is given") {
  auto r = official_request();
  remove_header(r.headers, "host");
  r.host = "127.0.0.1:8443";
  const auto clock = vector_clock();
  SeededRandom random{3};
  sign_request(r, kOfficial, clock, random);
  CHECK(find_header(r.headers, "host") == std::optional<std::string_view>("127.0.0.1:8443"));
}

TEST_CASE("sign_request rejects incomplete input") {
  const auto clock = vector_clock();
  SeededRandom random{4};
  for (const char* name : {"host", "x-acs-action", "x-acs-version"}) {
    CAPTURE(name);
    auto r = official_request();
    remove_header(r.headers, name);
    try {
      sign_request(r, kOfficial, clock, random);
      FAIL("expected an Error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::kInternal);
      CHECK(std::string(e.what()).find(name) != std::string::npos);
    }
  }
  auto r = official_request();
  try {
    sign_request(r, Credentials{"id", "", "", "environment"}, clock, random);
    FAIL("expected an Error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kCredentials);
    CHECK(std::string(e.what()).find("environment") != std::string::npos);
  }
}

TEST_CASE("parse_authorization") {
  const auto ok =
      parse_authorization("ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host;X-Acs-Date,Signature=ab");
  REQUIRE(ok);
  CHECK(ok->access_key_id == "AK");
  CHECK(ok->signed_headers == std::vector<std::string>{"host", "x-acs-date"});
  CHECK(ok->signature == "ab");
  CHECK(parse_authorization("ACS3-HMAC-SHA256 Signature=ab, Credential=AK, SignedHeaders=host"));
  for (const char* bad : {"", "ACS3-HMAC-SHA256", "ACS3-HMAC-SHA256 ",
                          "HMAC-SHA1 Credential=AK,SignedHeaders=host,Signature=ab",
                          "ACS3-HMAC-SHA256Credential=AK,SignedHeaders=host,Signature=ab",
                          "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host",
                          "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host,Signature=",
                          "ACS3-HMAC-SHA256 Credential=AK,Credential=AK,SignedHeaders=host,Signature=ab",
                          "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host;;x,Signature=ab",
                          "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host,Signature=ab,Extra=1",
                          "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host,Signature=ab,"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_authorization(bad).has_value());
  }
}

TEST_CASE("compute_signature signs only the listed headers") {
  auto r = official_request();
  const auto clock = vector_clock();
  test::NonceRandom random{"3156853299f313e23d1673dc12e1703d"};
  sign_request(r, kOfficial, clock, random);
  r.headers.emplace_back("x-acs-extra", "unsigned");
  const auto parsed = parse_authorization(*find_header(r.headers, "authorization"));
  REQUIRE(parsed);
  CHECK(compute_signature(r, parsed->signed_headers, "YourAccessKeySecret") ==
        "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
  CHECK(compute_signature(r, parsed->signed_headers, "wrong") != parsed->signature);
}

TEST_CASE("verify_signature reports which check failed") {
  const auto clock = vector_clock();
  SeededRandom random{5};
  auto signed_request = [&] {
    auto r = official_request();
    r.body = R"({"a":1})";
    r.headers.emplace_back("content-type", "application/json; charset=utf-8");
    sign_request(r, kOfficial, clock, random);
    return r;
  };
  CHECK(verify(signed_request()).check == SignatureCheck::kOk);
  {
    auto r = signed_request();
    remove_header(r.headers, "authorization");
    CHECK(verify(r).check == SignatureCheck::kMissingAuthorization);
  }
  {
    auto r = signed_request();
    set_header(r.headers, "Authorization", "garbage");
    CHECK(verify(r).check == SignatureCheck::kMalformedAuthorization);
  }
  {
    auto r = signed_request();
    set_header(r.headers, "Authorization",
               "ACS3-HMAC-SHA256 Credential=Nobody,SignedHeaders=host,Signature=00");
    const auto v = verify(r);
    CHECK(v.check == SignatureCheck::kUnknownAccessKey);
    CHECK(v.detail.find("Nobody") != std::string::npos);
  }
  {
    auto r = signed_request();
    r.headers.emplace_back("X-Acs-Sneaky", "1");
    const auto v = verify(r);
    CHECK(v.check == SignatureCheck::kUnsignedHeader);
    CHECK(v.detail.find("x-acs-sneaky") != std::string::npos);
  }
  {
    auto r = signed_request();
    remove_header(r.headers, "x-acs-date");
    CHECK(verify(r).check == SignatureCheck::kMissingSignedHeader);
  }
  {
    auto r = signed_request();
    r.body = R"({"a":2})";
    CHECK(verify(r).check == SignatureCheck::kContentHashMismatch);
  }
  {
    auto r = signed_request();
    r.path = "/other";
    const auto v = verify(r);
    CHECK(v.check == SignatureCheck::kSignatureMismatch);
    CHECK(v.detail.find("ACS3-HMAC-SHA256 ") != std::string::npos);
    CHECK(v.detail.find("YourAccessKeySecret") == std::string::npos);
  }
  {
    auto r = signed_request();
    r.query.emplace_back("extra", "1");
    CHECK(verify(r).check == SignatureCheck::kSignatureMismatch);
  }
  {
    auto r = signed_request();
    set_header(r.headers, "x-acs-action", "DeleteRayCluster");
    CHECK(verify(r).check == SignatureCheck::kSignatureMismatch);
  }
}

TEST_CASE("verify_signature never echoes the security token") {
  auto r = signed_with_sts(Credentials{"STS.Id", "StsSecret", "SuperSecretToken", "test"}, 6);
  r.method = "GET";  // break the signature
  const auto v = verify(r);
  CHECK(v.check == SignatureCheck::kSignatureMismatch);
  CHECK(v.detail.find("SuperSecretToken") == std::string::npos);
  CHECK(v.detail.find("StsSecret") == std::string::npos);
}

TEST_CASE("redacted_headers masks credentials and signature") {
  auto r = signed_with_sts(Credentials{"STS.NUj1aBcDeFgH", "StsSecret", "CAISecretTokenValue", "test"}, 7);
  const auto redacted = redacted_headers(r.headers);
  REQUIRE(redacted.size() == r.headers.size());
  const auto auth = find_header(redacted, "authorization");
  REQUIRE(auth);
  CHECK(auth->starts_with("ACS3-HMAC-SHA256 Credential=STS.***,SignedHeaders=host;x-acs-accesskey-id;"));
  CHECK(auth->ends_with(",Signature=***"));
  CHECK(find_header(redacted, "x-acs-accesskey-id") == std::optional<std::string_view>("STS.***"));
  CHECK(find_header(redacted, "x-acs-security-token") == std::optional<std::string_view>("***"));
  CHECK(find_header(redacted, "x-acs-action") == std::optional<std::string_view>("RunInstances"));
  for (const auto& [name, value] : redacted) {
    CHECK(value.find("CAISecretTokenValue") == std::string::npos);
    CHECK(value.find("NUj1aBcDeFgH") == std::string::npos);
  }
  const auto signature = parse_authorization(*find_header(r.headers, "authorization"))->signature;
  for (const auto& [name, value] : redacted) CHECK(value.find(signature) == std::string::npos);
  CHECK(redacted_headers({{"Authorization", "Basic abc"}}) == NameValueList{{"Authorization", "***"}});
  CHECK(redacted_headers({{"x-acs-accesskey-id", "short"}}) == NameValueList{{"x-acs-accesskey-id", "***"}});
}
