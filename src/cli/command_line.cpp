// The CLI11 side of the command line: each command's typed options bound to the options
// its table entry lists (names, value names and help come from the table, so --help, the
// man pages and the completions describe exactly what is parsed).
#include "cli/command_line.hpp"

#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <set>

#include "cli/option_values.hpp"
#include "core/error.hpp"
#include "core/spelling.hpp"

namespace provision::cli {
namespace {

// Adds options to a CLI11 app, each one checked against the command's table entry.
class Binder {
 public:
  Binder(CLI::App& app, std::vector<OptionSpec> specs) : app_(app), specs_(std::move(specs)) {}

  void flag(const std::string& name, bool& target) {
    flag(name, [&target] { target = true; });
  }
  void flag(const std::string& name, std::function<void()> set) {
    const OptionSpec& s = spec(name, false);
    app_.add_flag_callback(cli11_name(name), std::move(set), s.help);
    flags_.push_back(name);
  }
  void text(const std::string& name, std::optional<std::string>& target) {
    value(name, [&target](const std::string& v) { target = v; });
  }
  void value(const std::string& name, std::function<void(const std::string&)> set) {
    const OptionSpec& s = spec(name, true);
    app_.add_option_function<std::string>(name, std::move(set), s.help)->type_name(s.value_name);
  }
  void arguments(std::vector<std::string>& target) {
    app_.add_option("arguments", target)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  }

  const std::vector<std::string>& bound() const { return bound_; }

  // Every option of the table must have been bound, and nothing else.
  void check_complete(const std::string& command) const {
    for (const auto& s : specs_)
      if (std::find(bound_.begin(), bound_.end(), s.name) == bound_.end())
        throw Error(ErrorKind::kInternal, "option " + s.name + " of '" + command + "' is not parsed");
  }

  // Shapes CLI11 would accept or word unclearly: "--flag=x" (a flag takes no value) and a
  // value option as the last word.
  void reject_misshapen(const std::vector<std::string>& args) const {
    for (std::size_t i = 0; i < args.size() && args[i] != "--"; ++i) {
      for (const auto& f : flags_)
        if (args[i].rfind(f + "=", 0) == 0)
          throw Error(ErrorKind::kUsage, "option '" + f + "' takes no value");
      if (i + 1 == args.size())
        for (const auto& s : specs_)
          if (args[i] == s.name && !s.value_name.empty())
            throw Error(ErrorKind::kUsage, "option '" + s.name + "' needs a value (" + s.value_name + ")");
    }
  }

  // The first word CLI11 left over is an option no table entry has.
  void reject_leftovers(const std::vector<std::string>& remaining) const {
    for (const auto& word : remaining) {
      if (word == "--") continue;
      const std::string name = word.substr(0, word.find('='));
      std::vector<std::string> names;
      for (const auto& s : specs_) names.push_back(s.name);
      std::string message = "unknown option '" + name + "'";
      if (auto suggestion = closest_match(name, names); !suggestion.empty())
        message += "; did you mean '" + suggestion + "'?";
      throw Error(ErrorKind::kUsage, message);
    }
  }

 private:
  static std::string cli11_name(const std::string& name) { return name == "--help" ? "-h,--help" : name; }

  const OptionSpec& spec(const std::string& name, bool takes_value) {
    for (const auto& s : specs_)
      if (s.name == name) {
        if (s.value_name.empty() == takes_value)
          throw Error(ErrorKind::kInternal,
                      "option " + name + ": the table and the parser disagree on its value");
        bound_.push_back(name);
        return s;
      }
    throw Error(ErrorKind::kInternal, "option " + name + " is parsed but not in the command table");
  }

  CLI::App& app_;
  std::vector<OptionSpec> specs_;
  std::vector<std::string> bound_;
  std::vector<std::string> flags_;
};

void bind_state(Binder& b, StateOptions& o) {
  b.text("--state", o.location);
  b.text("--state-name", o.name);
  b.value("--lock-timeout",
          [&o](const std::string& v) { o.lock_timeout = duration_ms("--lock-timeout", v); });
}

void bind_api(Binder& b, ApiOptions& o) {
  b.text("--endpoint", o.endpoint);
  b.text("--endpoint-type", o.endpoint_type);
  b.text("--sts-endpoint", o.sts_endpoint);
  b.text("--ca-file", o.ca_file);
  b.text("--profile", o.profile);
  b.value("--request-timeout", [&o](const std::string& v) {
    const double seconds = duration_seconds("--request-timeout", v);
    if (seconds < 1 || seconds > 24 * 3600)
      throw Error(ErrorKind::kUsage, "--request-timeout expects 1s to 24h, got '" + v + "'");
    o.request_timeout = std::chrono::milliseconds(std::llround(seconds * 1000));
  });
  b.value("--max-attempts", [&o](const std::string& v) {
    o.max_attempts = static_cast<int>(whole_number("--max-attempts", v, 1, 20));
  });
}

void bind_planning(Binder& b, PlanningOptions& o) {
  b.flag("--refresh", o.refresh);
  b.flag("--prune", o.plan.prune);
  b.flag("--allow-replace", o.plan.allow_replace);
  b.flag("--adopt", o.plan.adopt);
}

// --timeout and --parallelism; the parallelism also sizes the API connection pool.
void bind_run(Binder& b, engine::RunOptions& o, ApiOptions& api) {
  b.value("--timeout", [&o](const std::string& v) { o.timeout = duration_ms("--timeout", v); });
  b.value("--parallelism", [&o, &api](const std::string& v) {
    o.parallelism = static_cast<std::size_t>(whole_number("--parallelism", v, 1, 1000));
    api.parallelism = o.parallelism;
  });
}

void bind_located(Binder& b, LocatedOptions& o) {
  b.arguments(o.paths);
  bind_state(b, o.state);
  bind_api(b, o.api);
}

void bind_status(Binder& b, StatusOptions& o) { bind_located(b, o); }

void bind_plan(Binder& b, PlanCommandOptions& o) {
  bind_located(b, o);
  bind_planning(b, o.planning);
  b.flag("--detailed-exitcode", o.detailed_exitcode);
  b.text("--out", o.out);
}

void bind_apply(Binder& b, ApplyOptions& o) {
  bind_located(b, o);
  b.flag("--dry-run", o.dry_run);
  b.flag("--auto-approve", o.auto_approve);
  b.flag("--no-wait", [&o] { o.run.wait = false; });
  bind_run(b, o.run, o.api);
  bind_planning(b, o.planning);
  b.text("--plan", o.plan_file);
}

void bind_destroy(Binder& b, DestroyOptions& o) {
  bind_located(b, o);
  b.flag("--auto-approve", o.auto_approve);
  bind_run(b, o.run, o.api);
}

void bind_state_command(Binder& b, StateCommandOptions& o) {
  b.arguments(o.words);
  bind_state(b, o.state);
  bind_api(b, o.api);
  b.flag("--no-verify", o.no_verify);
  b.text("--workspace-id", o.workspace_id);
  b.text("--region-id", o.region_id);
  b.text("--spec-file", o.spec_file);
  b.text("--to", o.to);
  b.text("--from", o.from);
}

void bind_render(Binder& b, RenderOptions& o) {
  b.arguments(o.paths);
  b.text("--to", o.to);
  b.text("--namespace", o.namespace_name);
  b.text("--image", o.image);
}

// Emplaces the command's options struct in `options` and binds it.
using Bind = std::function<void(Binder&, CommandOptions&)>;

template <class T, void (*F)(Binder&, T&)>
Bind binding() {
  return [](Binder& b, CommandOptions& options) { F(b, options.emplace<T>()); };
}

template <class T>
Bind arguments_only(std::vector<std::string> T::*member) {
  return [member](Binder& b, CommandOptions& options) { b.arguments(options.emplace<T>().*member); };
}

const std::map<std::string, Bind>& bindings() {
  static const std::map<std::string, Bind> table = {
      {"validate", arguments_only(&ValidateOptions::paths)},
      {"plan", binding<PlanCommandOptions, bind_plan>()},
      {"apply", binding<ApplyOptions, bind_apply>()},
      {"destroy", binding<DestroyOptions, bind_destroy>()},
      {"status", binding<StatusOptions, bind_status>()},
      {"state", binding<StateCommandOptions, bind_state_command>()},
      {"show", arguments_only(&ShowOptions::files)},
      {"render", binding<RenderOptions, bind_render>()},
      {"version", arguments_only(&VersionOptions::ignored)},
      {"completion", arguments_only(&CompletionOptions::shells)},
  };
  return table;
}

// Binds the common options and the command's own; `output` receives --output as typed.
Binder bind_all(CLI::App& app, const Command& command, Invocation& inv, std::optional<std::string>& output) {
  auto specs = command.options;
  for (auto& o : common_options()) specs.push_back(o);
  Binder b(app, std::move(specs));
  app.set_help_flag();  // --help is ours: the help text is printed from the table
  app.allow_extras(true);
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  b.flag("--help", inv.common.help);
  b.text("--output", output);
  b.flag("--no-color", inv.common.no_color);
  auto it = bindings().find(command.name);
  if (it == bindings().end())
    throw Error(ErrorKind::kInternal, "no parser for command '" + command.name + "'");
  it->second(b, inv.options);
  b.check_complete(command.name);
  return b;
}

}  // namespace

Invocation parse_command_line(const Command& command, const std::vector<std::string>& args) {
  Invocation inv;
  inv.command = command.name;
  std::optional<std::string> output;
  CLI::App app;
  Binder b = bind_all(app, command, inv, output);
  b.reject_misshapen(args);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them last first
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    throw Error(ErrorKind::kUsage, e.what());
  }
  b.reject_leftovers(app.remaining());
  if (!inv.common.help && output)
    inv.common.format = output_format(*output, command.name == "plan" || command.name == "show");
  return inv;
}

std::vector<std::string> parser_option_names(const Command& command) {
  Invocation inv;
  std::optional<std::string> output;
  CLI::App app;
  return bind_all(app, command, inv, output).bound();
}

}  // namespace provision::cli
