// `provision plan` (placeholder until its issue lands).
#include "cli/not_implemented.hpp"

namespace provision::cli {

Command make_plan_command() {
  return {"plan",
          "plan (not implemented yet)",
          "provision plan [options]",
          "",
          {},
          [](const ParsedArgs&, Context&) { return not_implemented("plan"); }};
}

}  // namespace provision::cli
