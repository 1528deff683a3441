// The one place that formats diagnostics: GCC-style text with the source line and a
// caret, or one JSON object per line.
#pragma once

#include <iosfwd>
#include <string>

#include "core/diagnostic.hpp"

namespace provision::cli {

// `file:line:col: error: /pointer: message; hint [code]`, then the source line and a caret.
std::string format_diagnostic_text(const Diagnostic& d, bool color);

// {"file":…,"line":…,"column":…,"pointer":…,"code":…,"message":…[,"hint":…]} (no newline).
std::string format_diagnostic_json(const Diagnostic& d);

// Prints each diagnostic: text to `text_out`, or JSON lines to `json_out`.
void print_diagnostics(const Diagnostics& diagnostics, bool json, bool color, std::ostream& text_out,
                       std::ostream& json_out);

}  // namespace provision::cli
