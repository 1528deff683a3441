// command_table(): the parser's own Command list (all_commands) and common_options().
#include "cli/command_table.hpp"

#include "cli/app.hpp"

namespace provision::cli {

std::vector<CommandInfo> command_table() {
  std::vector<CommandInfo> table;
  for (const Command& c : all_commands()) {
    CommandInfo info{c.name, c.summary, c.usage, c.description, c.options, c.subcommands};
    for (const auto& o : common_options()) info.options.push_back(o);
    info.takes_paths = c.usage.find("PATH") != std::string::npos || c.usage.find("FILE") != std::string::npos;
    table.push_back(std::move(info));
  }
  return table;
}

std::vector<std::string> option_choices(const CommandInfo& command, const OptionSpec& option) {
  if (option.name == "--output") {
    if (command.name == "plan" || command.name == "show") return {"text", "json", "markdown"};
    return {"text", "json"};
  }
  if (option.name == "--endpoint-type") return {"public", "vpc"};
  return {};
}

bool option_takes_path(const OptionSpec& option) {
  const auto& v = option.value_name;
  return v == "FILE" || v == "DIR" || v == "PATH" || v == "LOCATION";
}

}  // namespace provision::cli
