// JSON manifests as YAML text, written with yaml-cpp's emitter (render's YAML output).
#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace provision::cli {

// Block-style YAML of `value`, keys in insertion order, no document markers. A string that
// a YAML reader would take for a number, boolean or null ("2", "true", "") is double quoted.
std::string to_yaml_text(const boost::json::value& value);

}  // namespace provision::cli
