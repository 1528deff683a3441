// The shared API options: parsing, defaults and the usage errors they raise.
#include "cli/api_options.hpp"

#include <doctest/doctest.h>

#include "cli/command_line.hpp"
#include "core/error.hpp"
#include "support/temp_dir.hpp"

using namespace provision;
using namespace provision::cli;

namespace {

// The settings of `provision status ARGV...`, a command that takes every API option.
ApiClientSettings settings(const std::vector<std::string>& argv) {
  const Invocation inv = parse_command_line(make_status_command(), argv);
  return api_client_settings(std::get<StatusOptions>(inv.options).api);
}

std::string usage_error(const std::vector<std::string>& argv) {
  try {
    settings(argv);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kUsage);
    return e.what();
  }
  FAIL("expected a usage error");
  return "";
}

}  // namespace

TEST_CASE("defaults") {
  ApiClientSettings s = settings({});
  CHECK(s.endpoint_override.empty());
  CHECK(s.endpoint_type == api::EndpointType::kPublic);
  CHECK(s.profile.empty());
  CHECK(s.transport.ca_file.empty());
  CHECK(s.client.call_timeout == std::chrono::milliseconds(120'000));
  CHECK(s.client.retry.max_attempts == 4);
}

TEST_CASE("every option is carried over") {
  test::TempDir dir;
  auto ca = dir.write("ca.pem", "-----BEGIN CERTIFICATE-----\n");
  ApiClientSettings s =
      settings({"--endpoint", "127.0.0.1:8443", "--endpoint-type", "vpc", "--ca-file", ca.string(),
                "--profile", "dev", "--request-timeout", "2m", "--max-attempts", "2"});
  CHECK(s.endpoint_override == "127.0.0.1:8443");
  CHECK(s.endpoint_type == api::EndpointType::kVpc);
  CHECK(s.transport.ca_file == ca.string());
  CHECK(s.profile == "dev");
  CHECK(s.client.call_timeout == std::chrono::milliseconds(120'000));
  CHECK(s.client.retry.max_attempts == 2);
}

TEST_CASE("bad values are usage errors naming the option") {
  CHECK(usage_error({"--ca-file", "/nonexistent/ca.pem"}).find("--ca-file '/nonexistent/ca.pem'") !=
        std::string::npos);
  CHECK(usage_error({"--request-timeout", "0.5"}).find("--request-timeout") != std::string::npos);
  CHECK(usage_error({"--request-timeout", "soon"}).find("--request-timeout") != std::string::npos);
  CHECK(usage_error({"--max-attempts", "0"}).find("--max-attempts") != std::string::npos);
  CHECK(usage_error({"--endpoint", "http://x"}).rfind("--endpoint 'http://x': ", 0) == 0);
  CHECK(usage_error({"--endpoint-type", "private"}) ==
        "--endpoint-type 'private' is not supported (expected 'public' or 'vpc')");
}

TEST_CASE("an unknown region points at --endpoint, which the api layer does not name") {
  try {
    service_endpoint("mars-north-1", api::EndpointType::kPublic, "");
    FAIL("expected an Error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kInvalidSpec);
    CHECK(std::string(e.what()) ==
          "region 'mars-north-1' has no EMR Serverless Spark endpoint (use --endpoint HOST[:PORT] for any "
          "other host)");
  }
  CHECK(api::region_problem("mars-north-1").value().find("--endpoint") == std::string::npos);
  CHECK(service_endpoint("mars-north-1", api::EndpointType::kPublic, "127.0.0.1:8443").port == 8443);
}

TEST_CASE("--sts-endpoint: HOST[:PORT], checked up front and named in the error") {
  CHECK(settings({}).sts_endpoint_override.empty());
  CHECK(settings({"--sts-endpoint", "127.0.0.1:8443"}).sts_endpoint_override == "127.0.0.1:8443");
  CHECK(settings({"--sts-endpoint", "sts.example.internal"}).sts_endpoint_override == "sts.example.internal");
  const std::string bad = usage_error({"--sts-endpoint", "https://sts.aliyuncs.com"});
  CHECK(bad.rfind("--sts-endpoint 'https://sts.aliyuncs.com'", 0) == 0);
  CHECK(usage_error({"--sts-endpoint", "127.0.0.1:0"}).find("--sts-endpoint") != std::string::npos);
}
