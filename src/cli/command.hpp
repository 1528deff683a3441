// A subcommand: its name, help text, options and entry point.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/context.hpp"

namespace provision::cli {

struct Command {
  std::string name;
  std::string summary;      // one line for `provision --help`
  std::string usage;        // "provision validate [options] PATH..."
  std::string description;  // paragraphs for `provision <command> --help`
  std::vector<OptionSpec> options;
  std::function<int(const ParsedArgs&, Context&)> run;  // returns the exit code
  std::vector<std::string> subcommands{};               // first positional words, if any (state)
};

// One factory per command, each in its own <name>_command.cpp.
Command make_validate_command();
Command make_plan_command();
Command make_apply_command();
Command make_destroy_command();
Command make_status_command();
Command make_state_command();
Command make_version_command();
Command make_show_command();
Command make_render_command();
Command make_completion_command();

// Options shared by every command (--help, --output, --no-color).
std::vector<OptionSpec> common_options();

}  // namespace provision::cli
