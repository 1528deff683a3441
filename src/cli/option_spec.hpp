// An option as the command table lists it: name, value name and help.
#pragma once

#include <string>

namespace provision::cli {

struct OptionSpec {
  std::string name;        // "--output"
  std::string value_name;  // "FORMAT"; empty for a flag
  std::string help;
};

}  // namespace provision::cli
