// `provision destroy` (placeholder until its issue lands).
#include "cli/not_implemented.hpp"

namespace provision::cli {

Command make_destroy_command() {
  return {"destroy",
          "destroy (not implemented yet)",
          "provision destroy [options]",
          "",
          {},
          [](const ParsedArgs&, Context&) { return not_implemented("destroy"); }};
}

}  // namespace provision::cli
