// `provision version`: the version, the API it speaks and, when built from git, the commit
// and the build type.
#include <ostream>

#include "cli/command.hpp"
#include "provision_build_info.hpp"  // PROVISION_GIT_COMMIT, PROVISION_BUILD_TYPE (cmake/Version.cmake)

namespace provision::cli {

Command make_version_command() {
  return {"version",
          "print the version, the API version and the git commit it was built from",
          "provision version",
          "",
          {}};
}

int run(const VersionOptions&, Context& ctx) {
  const std::string commit = PROVISION_GIT_COMMIT;
  const std::string build_type = PROVISION_BUILD_TYPE;
  if (ctx.format == OutputFormat::kJson) {
    ctx.out << R"({"version":")" PROVISION_VERSION R"(","apiVersion":"2023-08-08")";
    if (!commit.empty()) ctx.out << R"(,"gitCommit":")" << commit << '"';
    if (!build_type.empty()) ctx.out << R"(,"buildType":")" << build_type << '"';
    ctx.out << "}\n";
    return 0;
  }
  ctx.out << "provision " PROVISION_VERSION " (EMR Serverless Spark API 2023-08-08)\n";
  if (!commit.empty())
    ctx.out << "git commit " << commit << (build_type.empty() ? "" : ", " + build_type + " build") << "\n";
  return 0;
}

}  // namespace provision::cli
