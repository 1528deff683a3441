// On a terminal apply asks first: only "yes" goes ahead. util-linux script(1)
// gives the real binary a pseudo-terminal.
#include <doctest/doctest.h>

#include "provision_fixture.hpp"

using provision::test::EmulatedCloud;
using provision::test::run;

namespace {

provision::test::RunResult on_terminal(const EmulatedCloud& cloud, const std::vector<std::string>& args,
                                       const std::string& answer) {
  std::string command = PROVISION_BINARY;
  for (const auto& a : args) command += " '" + a + "'";
  for (const auto& a : cloud.endpoint_args()) command += " '" + a + "'";
  return run({"/usr/bin/script", "-qec", command, "/dev/null"}, cloud.options(answer));
}

}  // namespace

TEST_CASE("apply on a terminal asks, and only 'yes' creates") {
  if (!std::filesystem::exists("/usr/bin/script")) return;
  EmulatedCloud cloud;
  cloud.spec("alpha");
  auto no = on_terminal(cloud, {"apply", "specs"}, "no\n");
  CHECK(no.exit_code == 1);
  CHECK(no.out.find("Do you want to perform these actions (1 to create") != std::string::npos);
  CHECK(no.out.find("Apply cancelled; nothing was changed.") != std::string::npos);
  CHECK(cloud.requests("CreateRayCluster") == 0);
  auto yes = on_terminal(cloud, {"apply", "specs"}, "yes\n");
  INFO(yes.out);
  CHECK(yes.exit_code == 0);
  CHECK(yes.out.find("Apply complete: 1 created") != std::string::npos);
  CHECK(cloud.requests("CreateRayCluster") == 1);
}
