// `provision status` (placeholder until its issue lands).
#include "cli/not_implemented.hpp"

namespace provision::cli {

Command make_status_command() {
  return {"status",
          "status (not implemented yet)",
          "provision status [options]",
          "",
          {},
          [](const ParsedArgs&, Context&) { return not_implemented("status"); }};
}

}  // namespace provision::cli
