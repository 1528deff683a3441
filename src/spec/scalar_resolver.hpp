// YAML 1.2 core-schema typing of plain (unquoted) scalars: `3` is an integer, `"3"` a string.
#pragma once

#include <boost/json/value.hpp>
#include <string_view>

namespace provision::spec {

// null (`~`, `null`, empty), booleans (`true`/`True`/`TRUE`, ...), integers (decimal,
// 0o octal, 0x hex), floats (incl. .inf/.nan); anything else stays a string.
// Note: YAML 1.1's yes/no/on/off are strings here.
boost::json::value resolve_plain_scalar(std::string_view text);

}  // namespace provision::spec
