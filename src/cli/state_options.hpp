// The options every state-using command shares (--state, --state-name, --lock-timeout)
// and the helpers that turn them into a store and a held lock.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/context.hpp"
#include "core/clock.hpp"
#include "state/state_store.hpp"

namespace provision::cli {

// --state LOCATION, --state-name NAME, --lock-timeout DURATION.
std::vector<OptionSpec> state_options();

// The store named by --state (else PROVISION_STATE, else .provision/state.json) and
// --state-name (else PROVISION_STATE_NAME, else "default"); its warnings go to ctx.err.
std::unique_ptr<state::StateStore> open_store(const ParsedArgs& args, Context& ctx);

// The store at `location` with state `name` (for state migrate's --to and --from).
std::unique_ptr<state::StateStore> open_store_at(const std::string& location, const std::string& name,
                                                 Context& ctx);

// Takes the store's lock for `command` ("provision apply"), waiting up to --lock-timeout.
std::unique_ptr<state::StoreLock> lock_store(state::StateStore& store, const ParsedArgs& args,
                                             const std::string& command, const Clock& clock);

}  // namespace provision::cli
