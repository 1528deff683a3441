// The options every state-using command shares (--state, --state-name, --lock-timeout)
// and the helpers that turn them into a store and a held lock.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/command_options.hpp"
#include "cli/context.hpp"
#include "cli/option_spec.hpp"
#include "core/clock.hpp"
#include "state/state_store.hpp"

namespace provision::cli {

// --state LOCATION, --state-name NAME, --lock-timeout DURATION.
std::vector<OptionSpec> state_options();

// The store named by --state (else PROVISION_STATE, else .provision/state.json) and
// --state-name (else PROVISION_STATE_NAME, else "default"); its warnings go to ctx.err.
std::unique_ptr<state::StateStore> open_store(const StateOptions& options, Context& ctx);

// The store at `location` with state `name` (for state migrate's --to and --from).
std::unique_ptr<state::StateStore> open_store_at(const std::string& location, const std::string& name,
                                                 Context& ctx);

// Takes the store's lock for `command` ("provision apply"), waiting up to --lock-timeout.
std::unique_ptr<state::StoreLock> lock_store(state::StateStore& store, const StateOptions& options,
                                             const std::string& command, const Clock& clock);

// The state location and name as the options and the environment choose them: --state, else
// $PROVISION_STATE, else .provision/state.json; --state-name, else $PROVISION_STATE_NAME,
// else "default". `env` reads a variable ("" when unset).
struct StateChoice {
  std::string location;
  std::string name;
};
StateChoice choose_state(const StateOptions& options, const std::function<std::string(const char*)>& env);

}  // namespace provision::cli
