// The whole command-line program behind main(): dispatch, help, error -> exit code.
#pragma once

#include <string>
#include <vector>

#include "cli/command.hpp"

namespace provision::cli {

const std::vector<Command>& all_commands();

// Runs `provision <args>` against the given context and returns the exit code.
// Only here are provision::Error and stray exceptions turned into messages.
int run_app(const std::vector<std::string>& args, Context& context);

// Builds a Context for the real process (terminal detection, NO_COLOR) and runs.
int run_main(int argc, char** argv);

}  // namespace provision::cli
