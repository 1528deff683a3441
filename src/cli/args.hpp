// Command-line parsing: each command declares its options; parse() checks them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace provision::cli {

struct OptionSpec {
  std::string name;        // "--output"
  std::string value_name;  // "FORMAT"; empty for a flag
  std::string help;
};

class ParsedArgs {
 public:
  bool has(const std::string& name) const;
  // The last value given for an option, or `fallback`.
  std::string get(const std::string& name, const std::string& fallback = "") const;
  std::vector<std::string> all(const std::string& name) const;
  // The value as an integer within [min, max]; throws a usage Error otherwise.
  long get_int(const std::string& name, long fallback, long min, long max) const;
  // A duration in seconds ("30", "1.5", "2m", "500ms"); throws a usage Error otherwise.
  double get_seconds(const std::string& name, double fallback) const;
  const std::vector<std::string>& positionals() const { return positionals_; }

  void add(const std::string& name, std::string value) { values_[name].push_back(std::move(value)); }
  void add_positional(std::string value) { positionals_.push_back(std::move(value)); }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positionals_;
};

// Parses argv (without the command name). Throws Error(kUsage) naming the bad
// argument, with a "did you mean" for a misspelt option.
ParsedArgs parse_args(const std::vector<std::string>& argv, const std::vector<OptionSpec>& options);

}  // namespace provision::cli
