// A subcommand: its name, help text and options (the command table), and its entry
// point, which takes the command's typed options (command_options.hpp).
#pragma once

#include <string>
#include <vector>

#include "cli/command_options.hpp"
#include "cli/context.hpp"
#include "cli/option_spec.hpp"

namespace provision::cli {

struct Command {
  std::string name;
  std::string summary;      // one line for `provision --help`
  std::string usage;        // "provision validate [options] PATH..."
  std::string description;  // paragraphs for `provision <command> --help`
  std::vector<OptionSpec> options;
  std::vector<std::string> subcommands{};  // first positional words, if any (state)
};

// One factory per command, each in its own <name>_command.cpp, beside its run().
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

// The commands' entry points; each returns the exit code.
int run(const ValidateOptions& options, Context& context);
int run(const PlanCommandOptions& options, Context& context);
int run(const ApplyOptions& options, Context& context);
int run(const DestroyOptions& options, Context& context);
int run(const StatusOptions& options, Context& context);
int run(const StateCommandOptions& options, Context& context);
int run(const ShowOptions& options, Context& context);
int run(const RenderOptions& options, Context& context);
int run(const VersionOptions& options, Context& context);
int run(const CompletionOptions& options, Context& context);

// Options shared by every command (--help, --output, --no-color).
std::vector<OptionSpec> common_options();

}  // namespace provision::cli
