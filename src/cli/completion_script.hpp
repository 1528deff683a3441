// Shell completion scripts for bash, zsh and fish, generated from command_table().
#pragma once

#include <string>
#include <vector>

#include "cli/command_table.hpp"

namespace provision::cli {

// The shells completion_script() knows, in the order `provision completion` lists them.
const std::vector<std::string>& completion_shells();

// The script for `shell` ("bash", "zsh" or "fish") completing the commands and options
// in `table`, spec paths, and state names (from `provision state list --output json`)
// after `state show` and `state rm`. Throws Error(kUsage) for an unknown shell.
std::string completion_script(const std::string& shell, const std::vector<CommandInfo>& table);

}  // namespace provision::cli
