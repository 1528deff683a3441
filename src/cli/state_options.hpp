// The options every state-using command shares (--state, --lock-timeout) and the
// helpers that turn them into a StateFile and a held lock.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "core/clock.hpp"
#include "state/state_file.hpp"
#include "state/state_lock.hpp"

namespace provision::cli {

// --state FILE, --lock-timeout DURATION.
std::vector<OptionSpec> state_options();

// The state file named by --state (default .provision/state.json).
state::StateFile state_file_from(const ParsedArgs& args);

// Takes the state lock for `command` ("provision apply"), waiting up to --lock-timeout.
std::unique_ptr<state::StateLock> lock_state(const state::StateFile& file, const ParsedArgs& args,
                                             const std::string& command, const Clock& clock);

}  // namespace provision::cli
