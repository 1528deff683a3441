// `provision state` (placeholder until its issue lands).
#include "cli/not_implemented.hpp"

namespace provision::cli {

Command make_state_command() {
  return {"state",
          "state (not implemented yet)",
          "provision state [options]",
          "",
          {},
          [](const ParsedArgs&, Context&) { return not_implemented("state"); }};
}

}  // namespace provision::cli
