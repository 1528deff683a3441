// The command-line surface as data, for the generators (shell completion, man pages).
// Generators read it only through command_table(), so that a different parser (CLI11,
// say) needs just this one function re-pointed at its own command and option table.
#pragma once

#include <string>
#include <vector>

#include "cli/option_spec.hpp"

namespace provision::cli {

struct CommandInfo {
  std::string name;
  std::string summary;
  std::string usage;
  std::string description;
  std::vector<OptionSpec> options;       // the command's own, then the common ones
  std::vector<std::string> subcommands;  // `state`: list, show, rm, import, migrate
  bool takes_paths = false;              // positional spec files or directories
};

// Every command the parser dispatches to, in `provision --help` order.
std::vector<CommandInfo> command_table();

// The values an option takes, when they are a fixed list (--output), else empty.
std::vector<std::string> option_choices(const CommandInfo& command, const OptionSpec& option);

// True when an option's value is a file or directory path (FILE, DIR, PATH, LOCATION).
bool option_takes_path(const OptionSpec& option);

}  // namespace provision::cli
