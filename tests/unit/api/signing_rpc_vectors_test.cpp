// Data-driven V1 (RPC, HMAC-SHA1) vectors (tests/data/signing/v1/<case>/): every stage of every
// case, and the AssumeRole builder against the cases it must reproduce byte for byte.
#include <doctest/doctest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/signing/rpc_signature.hpp"
#include "api/sts_request.hpp"
#include "api_test_names.hpp"
#include "core/clock.hpp"
#include "signing_vector_files.hpp"
#include "support/text_and_files.hpp"

namespace {

const fs::path kVectorDir = fs::path(PROVISION_TEST_DATA_DIR) / "signing" / "v1";

struct Vector {
  std::string method;
  NameValueList query;
  NameValueList form;
  std::string secret;
};

Vector load(const std::string& name) {
  const json::object o = json::parse(slurp(kVectorDir / name / "request.json")).as_object();
  return {std::string(o.at("method").as_string()), vector_pairs(o, "query"), vector_pairs(o, "form"),
          std::string(o.at("access_key_secret").as_string())};
}

std::string value_of(const NameValueList& list, std::string_view name) {
  for (const auto& [n, v] : list)
    if (n == name) return v;
  return {};
}

}  // namespace

TEST_CASE("V1 signing vectors: the required cases exist") {
  const auto found = vector_case_names(kVectorDir);
  for (const std::string required : {"official-describe-regions", "assume-role", "assume-role-chained"})
    CHECK_MESSAGE(std::find(found.begin(), found.end(), required) != found.end(),
                  "missing vector " << required);
}

TEST_CASE("V1 signing vectors: every stage of every case") {
  for (const auto& name : vector_case_names(kVectorDir)) {
    SUBCASE(name.c_str()) {
      const Vector v = load(name);
      NameValueList params = v.query;
      params.insert(params.end(), v.form.begin(), v.form.end());
      const fs::path dir = kVectorDir / name;
      CHECK(rpc_canonical_query(params) == slurp(dir / "canonical-query.txt"));
      const std::string to_sign = rpc_string_to_sign(v.method, params);
      CHECK(to_sign == slurp(dir / "string-to-sign.txt"));
      const std::string signature = rpc_signature(v.secret, to_sign);
      CHECK(signature == slurp(dir / "signature.txt"));
      CHECK(rpc_signature_matches(v.method, params, v.secret, signature));
      // A Signature parameter among the inputs is not signed.
      params.emplace_back("Signature", signature);
      CHECK(rpc_signature_matches(v.method, params, v.secret, signature));
    }
  }
}

TEST_CASE("V1 verification fails for a changed parameter, method or secret") {
  const Vector v = load("assume-role");
  NameValueList params = v.query;
  params.insert(params.end(), v.form.begin(), v.form.end());
  const std::string good = slurp(kVectorDir / "assume-role" / "signature.txt");
  CHECK(rpc_signature_matches("POST", params, v.secret, good));
  CHECK_FALSE(rpc_signature_matches("GET", params, v.secret, good));
  CHECK_FALSE(rpc_signature_matches("POST", params, v.secret + "x", good));
  NameValueList changed = params;
  changed.back().second = "3601";
  CHECK_FALSE(rpc_signature_matches("POST", changed, v.secret, good));
  NameValueList extra = params;
  extra.emplace_back("Policy", "{}");
  CHECK_FALSE(rpc_signature_matches("POST", extra, v.secret, good));
}

TEST_CASE("assume_role_call reproduces the AssumeRole vectors byte for byte") {
  for (const std::string name : {"assume-role", "assume-role-chained"}) {
    SUBCASE(name.c_str()) {
      const Vector v = load(name);
      AssumeRoleParams p;
      p.role_arn = value_of(v.form, "RoleArn");
      p.role_session_name = value_of(v.form, "RoleSessionName");
      p.duration_seconds = std::stoi(value_of(v.form, "DurationSeconds"));
      p.policy = value_of(v.form, "Policy");
      p.external_id = value_of(v.form, "ExternalId");
      const Credentials signer{value_of(v.query, "AccessKeyId"), v.secret, value_of(v.query, "SecurityToken"),
                               "test"};
      const auto now = *parse_iso8601_utc(value_of(v.query, "Timestamp"));
      const StsCall call =
          assume_role_call("sts.aliyuncs.com", p, signer, now, value_of(v.query, "SignatureNonce"));
      CHECK(call.operation == "AssumeRole");
      CHECK(call.parts.method == "POST");
      CHECK(call.parts.path == "/");
      NameValueList expected_query = v.query;
      expected_query.emplace_back("Signature", slurp(kVectorDir / name / "signature.txt"));
      CHECK(call.parts.query == expected_query);
      CHECK(call.parts.body == encode_form(v.form));
    }
  }
}
