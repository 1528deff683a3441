// ${VAR} and ${VAR:-default} in string values, filled from an injectable environment.
#pragma once

#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/diagnostic.hpp"
#include "spec/source_map.hpp"

namespace provision::spec {

// Looks a variable up; nullopt when it is unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment (std::getenv).
EnvLookup process_environment();

struct ExpansionResult {
  std::string text;
  std::string error_code;  // "" on success
  std::string error;       // what went wrong (never contains values)
};

// Expands one string: `${NAME}` (an error when NAME is unset), `${NAME:-default}` (default
// when NAME is unset or empty), `$${` for a literal `${`. NAME is [A-Za-z_][A-Za-z0-9_]*.
ExpansionResult expand_string(std::string_view text, const EnvLookup& env);

// Expands every string value of `root` in place. A plain (unquoted) scalar is re-typed
// after expansion, as if the value had been written there (`replica: ${N}` gives an
// integer). Errors are appended, located at the value.
void expand_document(boost::json::value& root, const SourceMap& map, const EnvLookup& env,
                     Diagnostics& diagnostics);

}  // namespace provision::spec
