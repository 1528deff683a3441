#include "emulator/cluster_validation.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "handler_harness.hpp"

using namespace provision;
using namespace provision::emulator;
using namespace provision::emulator::test;

namespace {

// The body of minimal_body() with one JSON pointer replaced (or removed when value is empty).
std::string with(const std::string& pointer, const std::string& value) {
  auto doc = boost::json::parse(minimal_body());
  std::string parent = pointer.substr(0, pointer.rfind('/'));
  std::string key = pointer.substr(pointer.rfind('/') + 1);
  boost::json::value& target = parent.empty() ? doc : doc.at_pointer(parent);
  if (target.is_array()) {
    auto& arr = target.as_array();
    if (value.empty())
      arr.erase(arr.begin() + std::stoi(key));
    else
      arr.at(std::stoul(key)) = boost::json::parse(value);
  } else if (value.empty()) {
    target.as_object().erase(key);
  } else {
    target.as_object()[key] = boost::json::parse(value);
  }
  return boost::json::serialize(doc);
}

std::string error_code(const std::string& body) {
  auto r = validate_cluster_body(body);
  auto* e = std::get_if<ApiError>(&r);
  return e ? e->code + " " + e->message : "";
}

std::string workers(int n) {
  std::string out = "[";
  for (int i = 0; i < n; ++i)
    out += (i ? "," : "") + std::string(R"({"groupName":"g)") + std::to_string(i) + "\"}";
  return out + "]";
}

// The stored spec of a body that must be accepted.
boost::json::object stored_spec(const std::string& body) {
  auto r = validate_cluster_body(body);
  const auto* e = std::get_if<ApiError>(&r);
  REQUIRE_MESSAGE(e == nullptr, body, " -> ", e ? e->code + " " + e->message : "");
  return std::get<boost::json::object>(r);
}

}  // namespace

TEST_CASE("a valid body is stored with known fields only and no password") {
  std::string body = with("/headSpec/gftConfig", R"({"redisUrl":"10.0.0.1:6379","redisPassword":"s3cret"})");
  auto r = validate_cluster_body(with("/workerSpec/0/extraParam", R"("{\"k\":\"v\"}")"));
  REQUIRE(std::holds_alternative<boost::json::object>(r));
  auto spec = std::get<boost::json::object>(r);
  CHECK(spec.at("workerSpec").at(0).at("extraParam").as_string() == R"({"k":"v"})");

  auto with_password = validate_cluster_body(body);
  REQUIRE(std::holds_alternative<boost::json::object>(with_password));
  auto stored = boost::json::serialize(std::get<boost::json::object>(with_password));
  CHECK(stored.find("s3cret") == std::string::npos);
  CHECK(stored.find("10.0.0.1:6379") != std::string::npos);

  auto unknown = validate_cluster_body(with("/unknownField", "1"));
  REQUIRE(std::holds_alternative<boost::json::object>(unknown));
  CHECK_FALSE(std::get<boost::json::object>(unknown).contains("unknownField"));
  CHECK(error_code(minimal_body()) == "");
  CHECK(stored_spec(minimal_body()) == boost::json::parse(minimal_body()).as_object());
}

TEST_CASE("every field the seed document marks optional may be absent, and nothing is added") {
  // The seed marks every CreateRayCluster field "Required: No".
  for (const char* pointer : {"/name", "/displayReleaseVersion", "/headSpec", "/workerSpec",
                              "/workerSpec/0/groupName", "/headSpec/cpu", "/workerSpec/0/replica"}) {
    std::string body = with(pointer, "");
    CHECK_MESSAGE(stored_spec(body) == boost::json::parse(body).as_object(), pointer);
  }
  CHECK(stored_spec(R"({"name":"x"})") == boost::json::object{{"name", "x"}});
  CHECK(stored_spec("{}").empty());
  CHECK(stored_spec("").empty());
  CHECK(stored_spec(R"({"headSpec":{},"workerSpec":[{}]})") ==
        boost::json::parse(R"({"headSpec":{},"workerSpec":[{}]})"));
  // An explicit null is absent (SDKs omit nulls), not stored as null or as a default.
  CHECK(stored_spec(R"({"name":"x","headSpec":null,"workerSpec":null,"volumeIds":null})") ==
        boost::json::object{{"name", "x"}});
  // Groups without groupName do not clash with each other; named ones stay unique.
  CHECK(stored_spec(R"({"workerSpec":[{"replica":1},{"replica":2},{"groupName":"a"}]})")
            .at("workerSpec")
            .as_array()
            .size() == 3);
  CHECK(error_code(R"({"workerSpec":[{},{"groupName":"a"},{"groupName":"a"}]})")
            .find("workerSpec[2].groupName") != std::string::npos);
}

TEST_CASE("invalid values are InvalidParameter naming the field") {
  struct Case {
    std::string pointer, value, expected;
  };
  std::string long_name = "\"" + std::string(65, 'x') + "\"";
  std::string max_name = "\"" + std::string(64, 'x') + "\"";
  for (const Case& c : std::vector<Case>{
           {"/name", "\"\"", "\"name\""},
           {"/name", long_name, "got 65"},
           {"/name", "3", "\"name\" is invalid: must be a string"},
           {"/workerSpec/0/replica", "0", "workerSpec[0].replica\" is invalid: must be at least 1, got 0"},
           {"/workerSpec/0/replica", "\"2\"", "workerSpec[0].replica\" is invalid: must be a 32-bit integer"},
           {"/workerSpec/0/replica", "2.5", "32-bit integer"},
           {"/workerSpec/0/replica", "3000000000", "32-bit integer"},
           {"/workerSpec/0/minReplica", "0", "workerSpec[0].minReplica"},
           {"/workerSpec/0/maxReplica", "0", "workerSpec[0].maxReplica"},
           {"/workerSpec/0/minReplica", "5", "must not exceed maxReplica (5 > 3)"},
           {"/workerSpec/0/cpu", "4", "workerSpec[0].cpu\" is invalid: must be a string"},
           {"/workerSpec/0", "[]", "workerSpec[0]\" is invalid: must be an object"},
           {"/workerSpec/0/extraParam", "\"{not json\"",
            "workerSpec[0].extraParam\" is invalid: must hold valid JSON"},
           {"/extraParam", "{}", "\"extraParam\" is invalid: must be a string holding JSON"},
           {"/headSpec/enableAutoScaling", "\"true\"",
            "headSpec.enableAutoScaling\" is invalid: must be a boolean"},
           {"/headSpec/idleTimeoutSeconds", "-1", "headSpec.idleTimeoutSeconds"},
           {"/headSpec", "[]", "\"headSpec\" is invalid: must be an object"},
           {"/headSpec/gftConfig", "{\"redisPassword\":1}", "headSpec.gftConfig.redisPassword"},
           {"/volumeIds", "[1]", "volumeIds[0]"},
           {"/workerSpec", "{}", "\"workerSpec\" is invalid: must be an array"},
           {"/workerSpec", workers(51), "at most 50 worker groups, got 51"},
           {"/workerSpec", R"([{"groupName":"a"},{"groupName":"a"}])", "workerSpec[1].groupName"},
       }) {
    std::string got = error_code(with(c.pointer, c.value));
    CHECK_MESSAGE(got.rfind("InvalidParameter", 0) == 0, c.pointer, " ", c.value, " -> ", got);
    CHECK_MESSAGE(got.find(c.expected) != std::string::npos, c.pointer, " ", c.value, " -> ", got);
  }
  CHECK(error_code(with("/name", max_name)) == "");
  CHECK(error_code(with("/name", "\"" + std::string(32, 'x') + "\xc3\xa9\xc3\xa9\"")) ==
        "");  // 34 characters
  CHECK(error_code(with("/workerSpec", workers(50))) == "");
  CHECK(error_code(with("/workerSpec", "[]")) == "");
  CHECK(error_code("[1]").find("\"body\" is invalid: must be a JSON object") != std::string::npos);
  CHECK(error_code("{").find("\"body\" is invalid: is not valid JSON") != std::string::npos);
}

TEST_CASE("validation errors reach the client with status 400 and nothing is stored") {
  Harness h;
  auto r = h.call("POST", kBase, "CreateRayCluster", with("/workerSpec/0/replica", "0"));
  CHECK(r.status == 400);
  CHECK(code_of(r) == "InvalidParameter");
  auto body = boost::json::parse(r.body).as_object();
  for (const char* key : {"RequestId", "HostId", "Code", "Message", "Recommend"}) CHECK(body.contains(key));
  CHECK(body.at("RequestId").as_string() == r.request_id);
  CHECK(body.at("HostId").as_string() == "127.0.0.1:8443");
  CHECK(std::string(body.at("Recommend").as_string()).find("q=InvalidParameter") != std::string::npos);
  CHECK(h.store.size() == 0);
}
