// The shared API options reach the client: --max-attempts bounds the requests a
// retried call sends (a regression: they were parsed, then ignored).
#include <doctest/doctest.h>

#include "provision_fixture.hpp"

using provision::test::EmulatedCloud;

TEST_CASE("--max-attempts bounds how often a failing List is sent") {
  // Every authenticated request fails with 503, which the client retries.
  EmulatedCloud cloud({"--fault-rate", "1", "--faults", "unavailable", "--seed", "1"});
  cloud.spec("alpha");

  auto once = cloud.provision({"plan", "specs", "--max-attempts", "1"});
  CHECK(once.exit_code != 0);
  CHECK(cloud.requests("ListRayCluster") == 1);

  auto thrice = cloud.provision({"plan", "specs", "--max-attempts", "3"});
  CHECK(thrice.exit_code != 0);
  CHECK(cloud.requests("ListRayCluster") == 4);
  CHECK(thrice.err.find("ServiceUnavailable") != std::string::npos);
}
