// Dispatch to subcommands, help and version text, and the single catch site that
// turns a provision::Error into a message and an exit code.
#include "cli/app.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <variant>

#include "cli/command_line.hpp"
#include "cli/hint_text.hpp"
#include "core/error.hpp"
#include "core/exit_code_table.hpp"
#include "core/spelling.hpp"

namespace provision::cli {
namespace {

void print_main_help(std::ostream& out) {
  out << "provision " PROVISION_VERSION
         " - Ray clusters on Alibaba Cloud EMR Serverless Spark from specs in git\n\n"
         "Usage: provision <command> [options] [PATH...]\n\nCommands:\n";
  std::size_t width = 10;
  for (const auto& c : all_commands()) width = std::max(width, c.name.size() + 2);
  for (const auto& c : all_commands()) {
    std::string name = c.name;
    name.resize(width, ' ');
    out << "  " << name << c.summary << "\n";
  }
  out << "\nRun 'provision <command> --help' for a command's options.\n\n" << exit_code_help();
}

void print_command_help(const Command& c, std::ostream& out) {
  out << "Usage: " << c.usage << "\n\n" << c.summary << "\n";
  if (!c.description.empty()) out << "\n" << c.description << "\n";
  out << "\nOptions:\n";
  auto options = c.options;
  for (auto& o : common_options()) options.push_back(o);
  for (const auto& o : options) {
    std::string left = o.name + (o.value_name.empty() ? "" : " " + o.value_name);
    if (left.size() < 26) left.resize(26, ' ');
    out << "  " << left << " " << o.help << "\n";
  }
  out << "\n" << exit_code_help();
}

const Command* find_command(const std::string& name) {
  for (const auto& c : all_commands())
    if (c.name == name) return &c;
  return nullptr;
}

int run_command(const Command& command, const std::vector<std::string>& rest, Context& context) {
  const Invocation invocation = parse_command_line(command, rest);
  if (invocation.common.help) {
    print_command_help(command, context.out);
    return 0;
  }
  context.format = invocation.common.format;
  if (invocation.common.no_color) context.color = false;
  return std::visit([&context](const auto& options) { return run(options, context); }, invocation.options);
}

}  // namespace

std::vector<OptionSpec> common_options() {
  return {
      {"--help", "", "show this help"},
      {"--output", "FORMAT",
       "text (default) or json (plan, show: one plan document; others: one object per line); "
       "plan and show also take markdown"},
      {"--no-color", "", "no colours (also when NO_COLOR is set or output is not a terminal)"},
  };
}

const std::vector<Command>& all_commands() {
  static const std::vector<Command> commands = {
      make_validate_command(), make_plan_command(),       make_apply_command(), make_destroy_command(),
      make_status_command(),   make_state_command(),      make_show_command(),  make_render_command(),
      make_version_command(),  make_completion_command(),
  };
  return commands;
}

int run_app(const std::vector<std::string>& args, Context& context) {
  try {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
      if (args.size() >= 2) {
        if (const Command* c = find_command(args[1])) {
          print_command_help(*c, context.out);
          return 0;
        }
      }
      print_main_help(args.empty() ? context.err : context.out);
      return args.empty() ? to_int(ExitCode::kUsage) : 0;
    }
    if (args[0] == "--version" || args[0] == "-V") return run(VersionOptions{}, context);
    const Command* command = find_command(args[0]);
    if (!command) {
      std::vector<std::string> names;
      for (const auto& c : all_commands()) names.push_back(c.name);
      std::string message = "unknown command '" + args[0] + "'";
      auto suggestion = closest_match(args[0], names);
      if (!suggestion.empty()) message += "; did you mean '" + suggestion + "'?";
      throw Error(ErrorKind::kUsage, message + " (see 'provision --help')");
    }
    return run_command(*command, {args.begin() + 1, args.end()}, context);
  } catch (const Error& e) {
    context.err << "provision: error: " << error_text(e) << "\n";
    return to_int(exit_code_for(e.kind()));
  } catch (const std::exception& e) {
    context.err << "provision: internal error: " << e.what() << "\n";
    return to_int(ExitCode::kError);
  }
}

int run_main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  Context context{std::cout, std::cerr, std::cin};
  context.stdin_is_tty = ::isatty(0) == 1;
  context.stdout_is_tty = ::isatty(1) == 1;
  context.stderr_is_tty = ::isatty(2) == 1;
  const char* no_color = std::getenv("NO_COLOR");
  context.color = context.stderr_is_tty && !(no_color && *no_color);
  std::vector<std::string> args(argv + 1, argv + argc);
  int code = run_app(args, context);
  std::cout.flush();
  return code;
}

}  // namespace provision::cli
