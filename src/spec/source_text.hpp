// Cheap checks on the raw text before yaml-cpp sees it: encoding, control characters,
// tabs in indentation, and nesting depth (yaml-cpp recurses per level, so a 10,000-deep
// document must be refused before parsing, not while).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"

namespace provision::spec {

struct SourceLimits {
  std::size_t max_bytes = 4u << 20;          // per input (file or stdin)
  int max_depth = 64;                        // nested collections
  std::size_t max_values = 10'000;           // values per document, after alias expansion
  std::size_t max_string_bytes = 16u << 20;  // string bytes per document, after alias expansion
  std::size_t max_file_values = 100'000;     // per input, estimated from the raw text: yaml-cpp
                                             // needs ~0.5 KB per value while parsing
  std::size_t max_diagnostics = 100;         // per input; the rest are summarised in one line
};

// All problems found in `text`; parsing must not start when any is an error.
Diagnostics check_source_text(std::string_view text, const std::string& file, const SourceLimits& limits);

// Line `line` (1-based) of `text` without its line break; "" when out of range.
std::string line_of(std::string_view text, int line);

// Constant-time access to the lines of a text that outlives the index.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  // Line `line` (1-based) without its line break ("\n" or "\r\n"); "" when out of range.
  std::string_view line(int line) const;
  int count() const { return static_cast<int>(starts_.size()); }

 private:
  std::string_view text_;
  std::vector<std::size_t> starts_;
};

// Column (1-based, in characters) of byte `offset` within its line.
int column_of(std::string_view line, std::size_t offset);

}  // namespace provision::spec
