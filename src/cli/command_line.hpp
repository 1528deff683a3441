// `provision <command> [options] [args]` parsed into the command's typed options. The only
// user of CLI11 in provision: its header is heavy, so it stays in command_line.cpp.
#pragma once

#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/command_options.hpp"

namespace provision::cli {

// Parses `args` (the words after the command name) against `command`'s options as the
// command table lists them. Accepts --opt VALUE and --opt=VALUE, "--" before arguments that
// start with '-', and repeated options (the last one counts). Throws Error(kUsage) for an
// unknown option (with "did you mean"), a missing or bad value, or a value given to a flag.
// Throws Error(kInternal) when the parser and the table disagree about the options.
Invocation parse_command_line(const Command& command, const std::vector<std::string>& args);

// The option names the parser binds for `command`, in binding order ("--help" included).
std::vector<std::string> parser_option_names(const Command& command);

}  // namespace provision::cli
