// `provision version`: the version and the API it speaks.
#include <ostream>

#include "cli/command.hpp"

namespace provision::cli {

Command make_version_command() {
  return {"version", "print the version", "provision version", "", {}, [](const ParsedArgs&, Context& ctx) {
            if (ctx.format == OutputFormat::kJson)
              ctx.out << R"({"version":")" PROVISION_VERSION R"(","apiVersion":"2023-08-08"})"
                      << "\n";
            else
              ctx.out << "provision " PROVISION_VERSION " (EMR Serverless Spark API 2023-08-08)\n";
            return 0;
          }};
}

}  // namespace provision::cli
