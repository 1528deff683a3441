// `provision validate` (placeholder until its issue lands).
#include "cli/not_implemented.hpp"

namespace provision::cli {

Command make_validate_command() {
  return {"validate",
          "validate (not implemented yet)",
          "provision validate [options]",
          "",
          {},
          [](const ParsedArgs&, Context&) { return not_implemented("validate"); }};
}

}  // namespace provision::cli
