// JSON text exactly as JavaScript's JSON.stringify writes it (what the official SDK sends).
#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace provision::spec {

// Compact; object keys in insertion order; strings as raw UTF-8 with only `"`, `\` and
// control characters escaped (\b \f \n \r \t, else \u00xx); "/" unescaped; numbers in
// ECMAScript Number::toString form (2.5, 1e+21, 1e-7); NaN and infinities as null.
std::string to_json_text(const boost::json::value& value);

}  // namespace provision::spec
