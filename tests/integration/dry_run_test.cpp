// `provision apply --dry-run` as a process: method, URL, headers and exact body per
// cluster; secrets redacted; nothing sent, no credentials needed.
#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <sstream>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

using namespace provision::test;

namespace {

const std::string kExamples = std::string(PROVISION_SOURCE_DIR) + "/specs/examples";

RunOptions without_credentials() {
  RunOptions o;
  o.unset_env = {"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                 "ALIBABA_CLOUD_SECURITY_TOKEN", "REDIS_PASSWORD", "RAY_WORKERS"};
  o.env = {{"HOME", "/nonexistent"}};
  return o;
}

std::vector<boost::json::object> json_lines(const std::string& out) {
  std::vector<boost::json::object> v;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) v.push_back(boost::json::parse(line).as_object());
  return v;
}

}  // namespace

TEST_CASE("--output json: one request object per cluster, in file order") {
  auto r =
      run({PROVISION_BINARY, "apply", "--dry-run", "--output", "json", kExamples}, without_credentials());
  REQUIRE(r.exit_code == 0);
  auto requests = json_lines(r.out);
  REQUIRE(requests.size() == 3);
  const auto& dev = requests[0];
  CHECK(dev.at("action") == "CreateRayCluster");
  CHECK(dev.at("method") == "POST");
  CHECK(dev.at("url") ==
        "https://emr-serverless-spark.cn-hangzhou.aliyuncs.com/api/v1/workspaces/w-d2d82aa09155/rayCluster");
  CHECK(dev.at("headers").at("content-type") == "application/json; charset=utf-8");
  CHECK(dev.at("headers").at("x-acs-action") == "CreateRayCluster");
  CHECK(dev.at("headers").at("x-acs-version") == "2023-08-08");
  CHECK(dev.at("body").at("name") == "dev-ray");
  CHECK(dev.at("body").at("headSpec").at("cpu") == "2");
  CHECK(requests[1].at("url") ==
        "https://emr-serverless-spark.cn-shanghai.aliyuncs.com/api/v1/workspaces/w-d2d82aa09155/rayCluster");
  CHECK(requests[2].at("body").at("headSpec").at("gftConfig").at("redisPassword") == "***");
}

TEST_CASE("text output shows the exact body bytes") {
  auto r = run({PROVISION_BINARY, "apply", "--dry-run", kExamples + "/dev.yaml"}, without_credentials());
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find(
            "POST https://emr-serverless-spark.cn-hangzhou.aliyuncs.com/api/v1/workspaces/w-d2d82aa09155/"
            "rayCluster\n") != std::string::npos);
  CHECK(
      r.out.find(
          "\n{\"name\":\"dev-ray\",\"displayReleaseVersion\":\"ray-1.0.0 (Ray 2.47.1, Python 3.12)\","
          "\"description\":\"Ray Cluster for dev.\",\"networkServiceName\":\"vpc\",\"volumeIds\":"
          "[\"vol-1234567890\"],\"headSpec\":{\"queueName\":\"root_queue\",\"cpu\":\"2\",\"memory\":\"8Gi\","
          "\"enableAutoScaling\":true,\"idleTimeoutSeconds\":60},\"workerSpec\":[{\"groupName\":"
          "\"WorkerGroup1\",\"workerType\":\"CPU\",\"replica\":2,\"queueName\":\"root_queue\",\"cpu\":\"4\","
          "\"memory\":\"16Gi\",\"minReplica\":1,\"maxReplica\":10}]}\n") != std::string::npos);
  CHECK(r.out.find("dry run: nothing was sent") != std::string::npos);
}

TEST_CASE("secrets from the environment never appear, and ${VAR} values are used") {
  auto o = without_credentials();
  o.env["REDIS_PASSWORD"] = "Sup3r-Secret-Value";
  o.env["RAY_WORKERS"] = "7";
  for (const char* format : {"text", "json"}) {
    auto r =
        run({PROVISION_BINARY, "apply", "--dry-run", "--output", format, kExamples + "/staging.yaml"}, o);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("Sup3r-Secret-Value") == std::string::npos);
    CHECK(r.err.find("Sup3r-Secret-Value") == std::string::npos);
    CHECK(r.out.find("\"replica\":7") != std::string::npos);
  }
}

TEST_CASE("workspace IDs are percent-encoded in the URL") {
  TempDir dir;
  auto file =
      dir.write("odd.yaml",
                "apiVersion: provision/v1\nkind: RayCluster\n"
                "metadata: {name: odd, workspaceId: \"w-ab c/d+e*f~g(ü)'!&=?#%\", regionId: us-east-1}\n"
                "spec: {}\n");
  auto r = run({PROVISION_BINARY, "apply", "--dry-run", "--output", "json", file.string()});
  REQUIRE(r.exit_code == 0);
  CHECK(json_lines(r.out).at(0).at("url") ==
        "https://emr-serverless-spark.us-east-1.aliyuncs.com/api/v1/workspaces/"
        "w-ab%20c%2Fd%2Be%2Af~g%28%C3%BC%29%27%21%26%3D%3F%23%25/rayCluster");
}

TEST_CASE("invalid specs stop the dry run with exit 4 and nothing on stdout") {
  auto r = run({PROVISION_BINARY, "apply", "--dry-run",
                std::string(PROVISION_TEST_DATA_DIR) + "/spec/invalid/min_gt_max.yaml"});
  CHECK(r.exit_code == 4);
  CHECK(r.out.empty());
  CHECK(r.err.find("[spec.min_gt_max]") != std::string::npos);
}

TEST_CASE("apply without --dry-run off a terminal needs --auto-approve") {
  auto r = run({PROVISION_BINARY, "apply", kExamples});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("--auto-approve") != std::string::npos);
}

TEST_CASE("with credentials the dry run shows the signed headers, masked, and no secret") {
  RunOptions o = without_credentials();
  o.env["ALIBABA_CLOUD_ACCESS_KEY_ID"] = "LTAI5tDryRunKeyId";
  o.env["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = "dry-run-secret-value";
  o.env["ALIBABA_CLOUD_SECURITY_TOKEN"] = "dry-run-sts-token";
  o.env["REDIS_PASSWORD"] = "dry-run-redis-password";
  auto r = run({PROVISION_BINARY, "apply", "--dry-run", "--output", "json", "--endpoint", "127.0.0.1:8443",
                kExamples + "/staging.yaml"},
               o);
  REQUIRE(r.exit_code == 0);
  const auto request = json_lines(r.out).at(0);
  CHECK(request.at("url") == "https://127.0.0.1:8443/api/v1/workspaces/w-d2d82aa09155/rayCluster");
  const auto& headers = request.at("headers").as_object();
  CHECK(headers.at("host") == "127.0.0.1:8443");
  const std::string authorization(headers.at("Authorization").as_string());
  CHECK(authorization.rfind("ACS3-HMAC-SHA256 Credential=LTAI***,SignedHeaders=", 0) == 0);
  CHECK(authorization.find("x-acs-security-token") != std::string::npos);
  CHECK(authorization.substr(authorization.size() - 13) == "Signature=***");
  CHECK(headers.at("x-acs-security-token") == "***");
  CHECK(headers.at("x-acs-signature-nonce").as_string().size() == 32);
  // The body holds a redacted secret, so its hash is masked too.
  CHECK(headers.at("x-acs-content-sha256") == "***");
  for (const char* secret :
       {"dry-run-secret-value", "dry-run-sts-token", "dry-run-redis-password", "LTAI5tDryRunKeyId"}) {
    CHECK(r.out.find(secret) == std::string::npos);
    CHECK(r.err.find(secret) == std::string::npos);
  }
}

TEST_CASE("an explicit --profile that cannot be used is an error even in a dry run") {
  auto r =
      run({PROVISION_BINARY, "apply", "--dry-run", "--profile", "nope", kExamples}, without_credentials());
  CHECK(r.exit_code == 5);
  CHECK(r.out.empty());
}
