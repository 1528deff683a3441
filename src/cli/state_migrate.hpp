// `provision state migrate --to LOCATION [--from LOCATION]`: copy a state between stores.
#pragma once

#include "cli/command_options.hpp"
#include "cli/context.hpp"

namespace provision::cli {

// Copies every record of the source store into the empty target store, holding both
// locks; refuses (nothing copied) when the target already has clusters.
int migrate_state(const StateCommandOptions& options, Context& ctx);

}  // namespace provision::cli
