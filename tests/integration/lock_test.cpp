// The state lock between two real provision processes, and damaged state files
// refused by apply before any request is sent.
#include <doctest/doctest.h>

#include <csignal>

#include "provision_fixture.hpp"

using provision::test::BackgroundProcess;
using provision::test::EmulatedCloud;
using provision::test::read_file;

TEST_CASE("a second apply fails at once naming the running one, the lock dies with its process") {
  EmulatedCloud cloud({"--start-delay", "4"});
  cloud.spec("alpha");
  std::vector<std::string> argv{PROVISION_BINARY, "apply", "specs", "--auto-approve"};
  for (const auto& a : cloud.endpoint_args()) argv.push_back(a);
  BackgroundProcess first(argv, cloud.options());
  first.wait_for_output("waiting");  // it holds the lock while the cluster starts

  auto second = cloud.provision({"apply", "specs", "--auto-approve"});
  CHECK(second.exit_code == 9);
  CHECK(second.err.find("state is locked by pid " + std::to_string(first.pid()) + " on ") !=
        std::string::npos);
  CHECK(second.err.find("(provision apply, since ") != std::string::npos);
  auto destroy = cloud.provision({"destroy", "specs", "--auto-approve", "--lock-timeout", "200ms"});
  CHECK(destroy.exit_code == 9);
  CHECK(destroy.err.find("still locked after waiting 200ms") != std::string::npos);

  // Killed outright: the kernel drops the lock, and the pending record it saved
  // first makes the next apply look the cluster up instead of creating another.
  first.stop(SIGKILL);
  auto after = cloud.provision({"apply", "specs", "--auto-approve"});
  INFO(after.out, after.err);
  CHECK(after.exit_code == 0);
  CHECK(cloud.requests("CreateRayCluster") == 1);
}

TEST_CASE("apply refuses a corrupt or newer state file before sending anything") {
  EmulatedCloud cloud;
  cloud.spec("alpha");
  REQUIRE(cloud.provision({"apply", "specs", "--auto-approve"}).exit_code == 0);
  const std::size_t before = cloud.requests();
  const std::string good = read_file(cloud.dir() / ".provision/state.json");
  std::string flipped = good;
  flipped[flipped.find("ray-") + 5] ^= 0x01;
  for (const std::string& bad : {good.substr(0, good.size() - 10), flipped, std::string(),
                                 std::string("{\"formatVersion\": 2, \"serial\": 9}\n")}) {
    cloud.dir().write(".provision/state.json", bad);
    auto r = cloud.provision({"apply", "specs", "--auto-approve"});
    CHECK(r.exit_code == 8);
    CHECK(r.err.find("state file '.provision/state.json' cannot be used") != std::string::npos);
    CHECK(read_file(cloud.dir() / ".provision/state.json") == bad);
  }
  CHECK(cloud.requests() == before);
  // The good snapshot (with its journal, which was never touched) works again.
  cloud.dir().write(".provision/state.json", good);
  CHECK(cloud.provision({"state", "list"}).exit_code == 0);
}
