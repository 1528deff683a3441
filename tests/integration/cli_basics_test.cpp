// The real binary's help, version and usage errors.
#include <doctest/doctest.h>

#include <filesystem>

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

TEST_CASE("provision version names the git commit and build type when built from git") {
  auto v = run({PROVISION_BINARY, "version"});
  REQUIRE(v.exit_code == 0);
  CHECK(v.out.find("provision 0.") == 0);
  CHECK(v.out.find("(EMR Serverless Spark API 2023-08-08)") != std::string::npos);
  auto j = run({PROVISION_BINARY, "version", "--output", "json"});
  REQUIRE(j.exit_code == 0);
  CHECK(j.out.find(R"("apiVersion":"2023-08-08")") != std::string::npos);
  CHECK(j.out.find(R"("buildType":")") != std::string::npos);
  if (std::filesystem::exists(PROVISION_SOURCE_DIR "/.git")) {
    // A 12-hex-digit commit (maybe "-dirty"), the same on both outputs.
    const auto line = v.out.find("\ngit commit ");
    REQUIRE(line != std::string::npos);
    const std::string commit = v.out.substr(line + 12, 12);
    CHECK(commit.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(j.out.find(R"("gitCommit":")" + commit) != std::string::npos);
    CHECK(v.out.find(" build\n") != std::string::npos);
  }
}
