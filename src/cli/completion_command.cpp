// `provision completion bash|zsh|fish`: the shell completion script, generated from the
// command table (so it completes exactly what the parser accepts).
#include <ostream>

#include "cli/command.hpp"
#include "cli/command_table.hpp"
#include "cli/completion_script.hpp"
#include "core/error.hpp"

namespace provision::cli {

Command make_completion_command() {
  Command command{"completion",
                  "print a shell completion script (bash, zsh or fish)",
                  "provision completion bash|zsh|fish",
                  "Prints a script that completes commands, options, spec paths and, for 'state show'\n"
                  "and 'state rm', the cluster names in the state (from 'provision state list').\n"
                  "Load it for the current shell with:\n"
                  "  bash: source <(provision completion bash)\n"
                  "  zsh:  source <(provision completion zsh)\n"
                  "  fish: provision completion fish | source\n"
                  "The Debian package installs all three where the shells find them.",
                  {}};
  command.subcommands = completion_shells();
  return command;
}

int run(const CompletionOptions& options, Context& ctx) {
  if (options.shells.size() != 1) throw Error(ErrorKind::kUsage, "usage: provision completion bash|zsh|fish");
  ctx.out << completion_script(options.shells[0], command_table());
  return 0;
}

}  // namespace provision::cli
