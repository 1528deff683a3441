// Data-driven ACS3 vectors (tests/data/signing/<case>/): every stage of every case is compared.
#include <doctest/doctest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "api/signing/acs3_signer.hpp"
#include "api_test_names.hpp"
#include "signing_nonce_random.hpp"
#include "signing_vector_files.hpp"
#include "support/text_and_files.hpp"

namespace {

const fs::path kVectorDir = fs::path(PROVISION_TEST_DATA_DIR) / "signing";

std::string str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? std::string(v->as_string()) : std::string();
}

std::chrono::system_clock::time_point parse_utc(const std::string& iso) {
  std::tm tm{};
  std::istringstream in(iso);
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
  REQUIRE_MESSAGE(!in.fail(), "bad date " << iso);
  return std::chrono::system_clock::from_time_t(::timegm(&tm));
}

void check_case(const fs::path& dir) {
  const json::object input = json::parse(slurp(dir / "request.json")).as_object();
  HttpRequestParts request;
  request.method = str(input, "method");
  request.path = str(input, "path");
  request.query = vector_pairs(input, "query");
  request.headers = vector_pairs(input, "headers");
  request.body = str(input, "body");
  const Credentials credentials{str(input, "access_key_id"), str(input, "access_key_secret"),
                                str(input, "security_token"), "vector " + dir.filename().string()};

  const bool signs = str(input, "mode") == "sign_request";
  std::string hashed_payload;
  if (signs) {
    const FixedClock clock{parse_utc(str(input, "date"))};
    test::NonceRandom random{str(input, "nonce")};
    sign_request(request, credentials, clock, random);
    hashed_payload = hex_sha256(request.body);
  } else {
    REQUIRE(str(input, "mode") == "stages_only");
    hashed_payload = str(input, "hashed_payload");
  }

  CHECK(canonical_uri(request.path) == slurp(dir / "canonical-uri.txt"));
  CHECK(canonical_query(request.query) == slurp(dir / "canonical-query.txt"));
  CHECK(canonical_headers(request.headers) == slurp(dir / "canonical-headers.txt"));
  const std::string signed_headers = signed_header_list(request.headers);
  CHECK(signed_headers == slurp(dir / "signed-headers.txt"));
  CHECK(hashed_payload == slurp(dir / "hashed-payload.txt"));
  const std::string canonical = canonical_request(request, hashed_payload);
  CHECK(canonical == slurp(dir / "canonical-request.txt"));
  const std::string to_sign = string_to_sign(canonical);
  CHECK(to_sign == slurp(dir / "string-to-sign.txt"));
  const std::string signature = hex_hmac_sha256(credentials.access_key_secret, to_sign);
  CHECK(signature == slurp(dir / "signature.txt"));
  CHECK(authorization_header(credentials.access_key_id, signed_headers, signature) ==
        slurp(dir / "authorization.txt"));

  if (signs) {
    // What went on the wire, and what the emulator recomputes from it.
    const auto sent = find_header(request.headers, "authorization");
    REQUIRE(sent);
    CHECK(*sent == slurp(dir / "authorization.txt"));
    CHECK(find_header(request.headers, "x-acs-content-sha256") ==
          std::optional<std::string_view>(hashed_payload));
    const auto parsed = parse_authorization(*sent);
    REQUIRE(parsed);
    CHECK(compute_signature(request, parsed->signed_headers, credentials.access_key_secret) ==
          slurp(dir / "signature.txt"));
    const auto verdict = verify_signature(request, [&](std::string_view id) -> std::optional<std::string> {
      if (id != credentials.access_key_id) return std::nullopt;
      return credentials.access_key_secret;
    });
    CHECK(verdict.check == SignatureCheck::kOk);
  }
}

}  // namespace

TEST_CASE("ACS3 signing vectors: the required cases exist") {
  // Losing a case folder must fail, not silently test less.
  const auto cases = vector_case_names(kVectorDir);
  for (const std::string required : {"official", "sdk-go", "create-ray-cluster", "sts-token",
                                     "list-with-query", "percent-encoded-workspace-id"}) {
    CHECK_MESSAGE(std::find(cases.begin(), cases.end(), required) != cases.end(),
                  "missing vector " << required);
  }
}

TEST_CASE("ACS3 signing vectors: every stage of every case") {
  for (const auto& name : vector_case_names(kVectorDir)) {
    SUBCASE(name.c_str()) { check_case(kVectorDir / name); }
  }
}
