// Turns schema findings into diagnostics a person reads: "expected integer, got string
// \"two\"", "must be >= 1, got 0", "unknown key 'headspec'; did you mean 'headSpec'?".
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "spec/schema_validator.hpp"
#include "spec/source_map.hpp"

namespace provision::spec {

// Rewrites `errors` (from validate_against_schema) and adds one diagnostic per unknown key
// (valijson names only the first unknown key of an object). Values of secret fields are
// never quoted.
Diagnostics schema_diagnostics(const boost::json::object& schema, const boost::json::value& instance,
                               const std::vector<SchemaError>& errors, const SourceMap& map);

// A short description of a value for messages: `string "abc"`, `integer 3`, `a list`, ...
std::string describe_value(const boost::json::value& value, bool secret);

}  // namespace provision::spec
