// The value rules of the hand-written parser, kept word for word in their messages.
#include "cli/option_values.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "core/error.hpp"

namespace provision::cli {

long whole_number(const std::string& option, const std::string& text, long min, long max) {
  char* end = nullptr;
  errno = 0;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || v < min || v > max)
    throw Error(ErrorKind::kUsage, option + " expects a whole number from " + std::to_string(min) + " to " +
                                       std::to_string(max) + ", got '" + text + "'");
  return v;
}

double duration_seconds(const std::string& option, const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  const std::string unit = end ? end : "";
  const double scale = unit.empty() || unit == "s" ? 1
                       : unit == "ms"              ? 0.001
                       : unit == "m"               ? 60
                       : unit == "h"               ? 3600
                                                   : -1;
  if (text.empty() || end == text.c_str() || scale < 0 || !std::isfinite(v) || v < 0)
    throw Error(ErrorKind::kUsage,
                option + " expects a duration such as 30, 1.5s, 500ms, 10m or 1h, got '" + text + "'");
  return v * scale;
}

std::chrono::milliseconds duration_ms(const std::string& option, const std::string& text) {
  return std::chrono::milliseconds(static_cast<long long>(duration_seconds(option, text) * 1000));
}

OutputFormat output_format(const std::string& text, bool markdown_ok) {
  if (text == "text") return OutputFormat::kText;
  if (text == "json") return OutputFormat::kJson;
  if (text == "markdown" && markdown_ok) return OutputFormat::kMarkdown;
  throw Error(ErrorKind::kUsage, std::string("--output expects 'text'") +
                                     (markdown_ok ? ", 'json' or 'markdown'" : " or 'json'") + ", got '" +
                                     text + "'");
}

}  // namespace provision::cli
