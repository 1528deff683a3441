// STS endpoint selection: table of locations and overrides.
#include "api/sts_endpoint.hpp"

#include <doctest/doctest.h>

#include "core/error.hpp"

using namespace provision;
using namespace provision::api;

TEST_CASE("sts_host: central, regional, VPC") {
  struct Row {
    StsLocation location;
    const char* host;
  };
  const Row rows[] = {
      {{"", false}, "sts.aliyuncs.com"},
      {{"", true}, "sts.aliyuncs.com"},  // VPC needs a region, as in credentials-go
      {{"cn-hangzhou", false}, "sts.cn-hangzhou.aliyuncs.com"},
      {{"cn-hangzhou", true}, "sts-vpc.cn-hangzhou.aliyuncs.com"},
  };
  for (const auto& row : rows) CHECK(sts_host(row.location) == row.host);
}

TEST_CASE("sts_endpoint: an override wins, and a bad one names its origin") {
  const auto central = sts_endpoint({"cn-shanghai", true}, "", "--sts-endpoint");
  CHECK(central.host == "sts-vpc.cn-shanghai.aliyuncs.com");
  CHECK(central.port == 443);
  const auto local = sts_endpoint({"cn-shanghai", true}, "127.0.0.1:8443", "--sts-endpoint");
  CHECK(local.host == "127.0.0.1");
  CHECK(local.port == 8443);
  for (const char* origin : {"--sts-endpoint", "ALIBABA_CLOUD_STS_ENDPOINT"}) {
    try {
      sts_endpoint({}, "https://sts.example/", origin);
      FAIL("expected a usage error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::kUsage);
      CHECK(std::string(e.what()).rfind(std::string(origin) + " 'https://sts.example/'", 0) == 0);
    }
  }
}
