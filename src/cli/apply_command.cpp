// `provision apply` (placeholder until its issue lands).
#include "cli/not_implemented.hpp"

namespace provision::cli {

Command make_apply_command() {
  return {"apply",
          "apply (not implemented yet)",
          "provision apply [options] PATH...",
          "",
          {},
          [](const ParsedArgs&, Context&) { return not_implemented("apply"); }};
}

}  // namespace provision::cli
