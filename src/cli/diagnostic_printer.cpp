// Formatting only; diagnostics arrive complete (source line already redacted).
#include "cli/diagnostic_printer.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <ostream>

namespace provision::cli {
namespace {

constexpr const char* kBoldRed = "\033[1;31m";
constexpr const char* kBoldMagenta = "\033[1;35m";
constexpr const char* kBoldGreen = "\033[1;32m";
constexpr const char* kBold = "\033[1m";
constexpr const char* kReset = "\033[0m";

// Spaces up to the caret, keeping tabs so the caret lines up under the source text.
std::string caret_padding(const std::string& line, int column) {
  std::string pad;
  int current = 1;
  for (std::size_t i = 0; i < line.size() && current < column; ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    if ((c & 0xC0) == 0x80) continue;
    pad += c == '\t' ? '\t' : ' ';
    ++current;
  }
  while (current++ < column) pad += ' ';
  return pad;
}

std::size_t character_count(const std::string& s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

}  // namespace

std::string format_diagnostic_text(const Diagnostic& d, bool color) {
  const bool warning = d.severity == Severity::kWarning;
  std::string s;
  if (color) s += kBold;
  s += d.location.file.empty() ? "provision" : d.location.file;
  if (d.location.line > 0) {
    s += ":" + std::to_string(d.location.line);
    if (d.location.column > 0) s += ":" + std::to_string(d.location.column);
  }
  s += ": ";
  if (color) s += std::string(kReset) + (warning ? kBoldMagenta : kBoldRed);
  s += warning ? "warning:" : "error:";
  if (color) s += kReset;
  s += " ";
  if (!d.pointer.empty()) s += d.pointer + ": ";
  s += d.message;
  if (!d.hint.empty()) s += "; " + d.hint;
  s += " [" + d.code + "]\n";
  if (d.location.line > 0 && !d.source_line.empty()) {
    const std::string number = std::to_string(d.location.line);
    s += " " + number + " | " + d.source_line + "\n";
    // No caret past the end of a shortened line (the file's line was too long to show).
    if (d.location.column > 0 &&
        static_cast<std::size_t>(d.location.column) <= character_count(d.source_line) + 1) {
      s += " " + std::string(number.size(), ' ') + " | " + caret_padding(d.source_line, d.location.column);
      if (color) s += kBoldGreen;
      s += "^";
      if (color) s += kReset;
      s += "\n";
    }
  }
  return s;
}

std::string format_diagnostic_json(const Diagnostic& d) {
  boost::json::object o;
  o["file"] = d.location.file;
  o["line"] = d.location.line;
  o["column"] = d.location.column;
  o["pointer"] = d.pointer;
  o["code"] = d.code;
  o["message"] = d.message;
  if (!d.hint.empty()) o["hint"] = d.hint;
  return boost::json::serialize(o);
}

void print_diagnostics(const Diagnostics& diagnostics, bool json, bool color, std::ostream& text_out,
                       std::ostream& json_out) {
  for (const auto& d : diagnostics) {
    if (json)
      json_out << format_diagnostic_json(d) << "\n";
    else
      text_out << format_diagnostic_text(d, color);
  }
}

}  // namespace provision::cli
