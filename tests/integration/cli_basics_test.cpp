// The real binary's help, version and usage errors.
#include <doctest/doctest.h>

#include "support/process.hpp"

using provision::test::run;

TEST_CASE("provision --version and --help") {
  auto v = run({PROVISION_BINARY, "--version"});
  CHECK(v.exit_code == 0);
  CHECK(v.out.find("provision 0.") == 0);
  auto h = run({PROVISION_BINARY, "--help"});
  CHECK(h.exit_code == 0);
  CHECK(h.out.find("Exit codes:") != std::string::npos);
  CHECK(h.out.find("validate") != std::string::npos);
}

TEST_CASE("usage errors exit 3 with a suggestion") {
  auto r = run({PROVISION_BINARY, "valdate"});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("did you mean 'validate'") != std::string::npos);
  auto none = run({PROVISION_BINARY});
  CHECK(none.exit_code == 3);
  auto bad_option = run({PROVISION_BINARY, "version", "--outptu", "json"});
  CHECK(bad_option.exit_code == 3);
  CHECK(bad_option.err.find("did you mean '--output'") != std::string::npos);
}
