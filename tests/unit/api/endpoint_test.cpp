// Regional endpoints, --endpoint-type and --endpoint HOST[:PORT] parsing (api.md §4).
#include "api/endpoint.hpp"

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "support/text_and_files.hpp"

using namespace provision;
using namespace provision::api;
using provision::test::contains;

namespace {

std::string usage_error(std::string_view value) {
  try {
    parse_endpoint_override(value);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kUsage);
    return e.what();
  }
  FAIL("expected an Error for " << value);
  return {};
}

}  // namespace

TEST_CASE("regional endpoints, public and VPC") {
  const auto pub = endpoint_for_region("cn-hangzhou", EndpointType::kPublic);
  CHECK(pub.host == "emr-serverless-spark.cn-hangzhou.aliyuncs.com");
  CHECK(pub.port == 443);
  CHECK(pub.host_header == "emr-serverless-spark.cn-hangzhou.aliyuncs.com");
  CHECK_FALSE(pub.ip_literal);
  const auto vpc = endpoint_for_region("ap-southeast-1", EndpointType::kVpc);
  CHECK(vpc.host == "emr-serverless-spark-vpc.ap-southeast-1.aliyuncs.com");
  CHECK(vpc.host_header == vpc.host);
  CHECK(known_regions().size() == 15);
  for (const auto& region : known_regions()) {
    CAPTURE(region);
    CHECK_FALSE(region_problem(region).has_value());
    CHECK(endpoint_for_region(region, EndpointType::kPublic).host ==
          "emr-serverless-spark." + region + ".aliyuncs.com");
  }
}

TEST_CASE("unknown regions are rejected with a suggestion") {
  const auto problem = region_problem("cn-hangzou");
  REQUIRE(problem);
  CHECK(contains(*problem, "region 'cn-hangzou'"));
  CHECK(contains(*problem, "did you mean 'cn-hangzhou'?"));
  CHECK_FALSE(contains(*region_problem("mars-north-1"), "did you mean"));
  CHECK(region_problem("").has_value());
  CHECK_THROWS_AS(endpoint_for_region("us-east-2x", EndpointType::kPublic), Error);
  try {
    endpoint_for_region("xx", EndpointType::kVpc);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kInvalidSpec);
  }
}

TEST_CASE("--endpoint-type") {
  CHECK(parse_endpoint_type("public") == EndpointType::kPublic);
  CHECK(parse_endpoint_type("vpc") == EndpointType::kVpc);
  CHECK_THROWS_WITH_AS(parse_endpoint_type("VPC"), doctest::Contains("expected 'public' or 'vpc'"), Error);
  CHECK_THROWS_AS(parse_endpoint_type(""), Error);
  CHECK_THROWS_WITH_AS(parse_endpoint_type("private"),
                       "'private' is not supported (expected 'public' or 'vpc')", Error);
}

TEST_CASE("--endpoint overrides: DNS names, IPv4 and bracketed IPv6") {
  struct Case {
    const char* value;
    const char* host;
    std::uint16_t port;
    const char* host_header;
    bool ip;
  };
  const Case cases[] = {
      {"emr.example.com", "emr.example.com", 443, "emr.example.com", false},
      {"emr.example.com:443", "emr.example.com", 443, "emr.example.com", false},
      {"localhost:18082", "localhost", 18082, "localhost:18082", false},
      {"127.0.0.1:39723", "127.0.0.1", 39723, "127.0.0.1:39723", true},
      {"10.0.0.1", "10.0.0.1", 443, "10.0.0.1", true},
      {"[::1]:8443", "::1", 8443, "[::1]:8443", true},
      {"[::1]", "::1", 443, "[::1]", true},
      {"[2001:db8::1]:443", "2001:db8::1", 443, "[2001:db8::1]", true},
      {"a-b.c-d.example:65535", "a-b.c-d.example", 65535, "a-b.c-d.example:65535", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.value);
    const auto e = parse_endpoint_override(c.value);
    CHECK(e.host == c.host);
    CHECK(e.port == c.port);
    CHECK(e.host_header == c.host_header);
    CHECK(e.ip_literal == c.ip);
  }
  CHECK(resolve_endpoint("not-a-region", EndpointType::kPublic, "127.0.0.1:1").host == "127.0.0.1");
  CHECK(resolve_endpoint("cn-beijing", EndpointType::kVpc, "").host ==
        "emr-serverless-spark-vpc.cn-beijing.aliyuncs.com");
}

TEST_CASE("bad endpoint overrides name the value and the problem, and no option") {
  CHECK(usage_error("http://x").rfind("'http://x': ", 0) == 0);
  CHECK(contains(usage_error("https://emr.example.com"), "without a scheme"));
  CHECK(contains(usage_error("emr.example.com/api"), "only a host and a port"));
  CHECK(contains(usage_error(""), "the host is empty"));
  CHECK(contains(usage_error(":443"), "the host is empty"));
  CHECK(contains(usage_error("host:"), "port must be a number"));
  CHECK(contains(usage_error("host:0"), "got '0'"));
  CHECK(contains(usage_error("host:65536"), "got '65536'"));
  CHECK(contains(usage_error("host:8x"), "got '8x'"));
  CHECK(contains(usage_error("host:-1"), "got '-1'"));
  CHECK(contains(usage_error("::1"), "IPv6 address in brackets"));
  CHECK(contains(usage_error("[::1"), "missing ']'"));
  CHECK(contains(usage_error("[not-v6]:1"), "is not an IPv6 address"));
  CHECK(contains(usage_error("[::1]x"), "expected ':PORT'"));
  CHECK(contains(usage_error("256.1.1.1"), "not a valid IPv4 address"));
  CHECK(contains(usage_error("under_score.example"), "not a valid host name"));
  CHECK(contains(usage_error("-lead.example"), "not a valid host name"));
  CHECK(contains(usage_error("double..dot"), "not a valid host name"));
  CHECK(contains(usage_error(std::string(64, 'a') + ".example"), "not a valid host name"));
}
