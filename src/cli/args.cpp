// A small getopt_long-like parser: --name VALUE, --name=VALUE, flags, "--".
#include "cli/args.hpp"

#include <cmath>
#include <cstdlib>

#include "core/error.hpp"
#include "core/spelling.hpp"

namespace provision::cli {
namespace {

const OptionSpec* find_option(const std::vector<OptionSpec>& options, const std::string& name) {
  for (const auto& o : options)
    if (o.name == name) return &o;
  return nullptr;
}

[[noreturn]] void unknown_option(const std::string& name, const std::vector<OptionSpec>& options) {
  std::vector<std::string> names;
  for (const auto& o : options) names.push_back(o.name);
  std::string message = "unknown option '" + name + "'";
  auto suggestion = closest_match(name, names);
  if (!suggestion.empty()) message += "; did you mean '" + suggestion + "'?";
  throw Error(ErrorKind::kUsage, message);
}

}  // namespace

bool ParsedArgs::has(const std::string& name) const { return values_.count(name) != 0; }

std::string ParsedArgs::get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() || it->second.empty() ? fallback : it->second.back();
}

std::vector<std::string> ParsedArgs::all(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

long ParsedArgs::get_int(const std::string& name, long fallback, long min, long max) const {
  if (!has(name)) return fallback;
  const std::string text = get(name);
  char* end = nullptr;
  errno = 0;
  long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || v < min || v > max)
    throw Error(ErrorKind::kUsage, name + " expects a whole number from " + std::to_string(min) + " to " +
                                       std::to_string(max) + ", got '" + text + "'");
  return v;
}

double ParsedArgs::get_seconds(const std::string& name, double fallback) const {
  if (!has(name)) return fallback;
  const std::string text = get(name);
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  std::string unit = end ? end : "";
  double scale = unit.empty() || unit == "s" ? 1
                 : unit == "ms"              ? 0.001
                 : unit == "m"               ? 60
                 : unit == "h"               ? 3600
                                             : -1;
  if (text.empty() || end == text.c_str() || scale < 0 || !std::isfinite(v) || v < 0)
    throw Error(ErrorKind::kUsage,
                name + " expects a duration such as 30, 1.5s, 500ms, 10m or 1h, got '" + text + "'");
  return v * scale;
}

ParsedArgs parse_args(const std::vector<std::string>& argv, const std::vector<OptionSpec>& options) {
  ParsedArgs parsed;
  bool only_positionals = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (only_positionals || arg == "-" || arg.rfind("-", 0) != 0) {
      parsed.add_positional(arg);
      continue;
    }
    if (arg == "--") {
      only_positionals = true;
      continue;
    }
    std::string name = arg;
    std::optional<std::string> inline_value;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      inline_value = arg.substr(eq + 1);
    }
    if (name == "-h") name = "--help";
    const OptionSpec* spec = find_option(options, name);
    if (!spec) unknown_option(name, options);
    if (spec->value_name.empty()) {
      if (inline_value) throw Error(ErrorKind::kUsage, "option '" + name + "' takes no value");
      parsed.add(name, "");
      continue;
    }
    if (inline_value) {
      parsed.add(name, *inline_value);
    } else if (i + 1 < argv.size()) {
      parsed.add(name, argv[++i]);
    } else {
      throw Error(ErrorKind::kUsage, "option '" + name + "' needs a value (" + spec->value_name + ")");
    }
  }
  return parsed;
}

}  // namespace provision::cli
