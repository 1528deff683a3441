// Option values from text: whole numbers in a range, durations, the output format. Pure
// functions, so the parser (command_line.cpp) and the tests share one set of rules; each
// throws Error(kUsage) naming the option and what it expected.
#pragma once

#include <chrono>
#include <string>

#include "cli/context.hpp"

namespace provision::cli {

// `text` as a whole number within [min, max].
long whole_number(const std::string& option, const std::string& text, long min, long max);

// `text` as a duration ("30", "1.5", "1.5s", "500ms", "10m", "1h"), in seconds.
double duration_seconds(const std::string& option, const std::string& text);

// A duration in milliseconds, rounded down as the hand-written parser did.
std::chrono::milliseconds duration_ms(const std::string& option, const std::string& text);

// --output FORMAT: text or json, and markdown where `markdown_ok` (plan, show).
OutputFormat output_format(const std::string& text, bool markdown_ok);

}  // namespace provision::cli
