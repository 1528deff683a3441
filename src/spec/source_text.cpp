// Raw-text checks: one linear pass for encoding, one line scanner for tabs and depth.
// The scanner over-estimates depth slightly (it counts what could open a level), which
// is harmless: real specs are about 6 levels deep and the limit is 64.
#include "spec/source_text.hpp"

#include <vector>

#include "core/utf8.hpp"

namespace provision::spec {
namespace {

Diagnostic text_error(const std::string& file, int line, int column, std::string code, std::string message,
                      std::string source_line) {
  Diagnostic d;
  d.code = std::move(code);
  d.location = {file, line, column};
  d.message = std::move(message);
  d.source_line = std::move(source_line);
  return d;
}

std::string hex_byte(unsigned char b) {
  static const char* kDigits = "0123456789ABCDEF";
  return std::string("0x") + kDigits[b >> 4] + kDigits[b & 15];
}

// The first encoding problem: invalid UTF-8 or a control character YAML does not allow.
void check_encoding(std::string_view text, const std::string& file, Diagnostics& out) {
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b >= 0x20 && b < 0x7F) {  // printable ASCII, nearly every byte of a spec
      ++i;
      continue;
    }
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0 || (b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7F) {
      const int column = column_of(text.substr(line_start), i - line_start);
      if (n == 0)
        out.push_back(text_error(file, line, column, "spec.invalid_utf8",
                                 "the file is not valid UTF-8 (byte " + hex_byte(b) + ")", ""));
      else
        out.push_back(text_error(file, line, column, "spec.control_character",
                                 "control character " + hex_byte(b) + " is not allowed in YAML", ""));
      return;
    }
    if (b == '\n') {
      ++line;
      line_start = i + 1;
    }
    i += n;
  }
}

// Line-by-line scanner state for tabs and nesting depth.
class StructureScanner {
 public:
  StructureScanner(const std::string& file, const SourceLimits& limits, Diagnostics& out)
      : file_(file), limits_(limits), out_(out) {}

  // Returns false once the depth limit is exceeded (scanning stops there).
  bool scan_line(std::string_view line, int number) {
    std::size_t indent = 0;
    while (indent < line.size() && line[indent] == ' ') ++indent;
    std::size_t first = indent;
    while (first < line.size() && (line[first] == ' ' || line[first] == '\t')) ++first;
    const bool blank = first == line.size();
    if (in_block_scalar_) {
      if (blank || first > block_parent_indent_) return true;
      in_block_scalar_ = false;
    }
    const bool in_block_context = quote_ == 0 && flow_depth_ == 0;
    if (in_block_context) {
      if (blank || line[first] == '#') return true;
      if (first != indent) {
        if (out_.size() > limits_.max_diagnostics) return true;  // enough to say "stopped after"
        out_.push_back(text_error(file_, number, static_cast<int>(line.find('\t')) + 1, "spec.tab_indent",
                                  "tab character in indentation; YAML indents with spaces only",
                                  std::string(line)));
        return true;
      }
      while (!indents_.empty() && indents_.back() >= indent) indents_.pop_back();
      indents_.push_back(indent);
    }
    if (in_block_context && !count_value(line, number, first)) return false;
    int levels = static_cast<int>(indents_.size());
    std::size_t i = first;
    if (in_block_context) {
      // Compact nested sequences ("- - - x") open one level per dash on a single line.
      while (i < line.size() && line[i] == '-' && (i + 1 == line.size() || line[i + 1] == ' ')) {
        ++levels;
        if (!count_value(line, number, i)) return false;
        i += 2;
        while (i < line.size() && line[i] == ' ') ++i;
      }
    }
    for (; i < line.size(); ++i) {
      const char c = line[i];
      if (quote_ == '"') {
        if (c == '\\')
          ++i;
        else if (c == '"')
          quote_ = 0;
        continue;
      }
      if (quote_ == '\'') {
        if (c == '\'' && i + 1 < line.size() && line[i + 1] == '\'')
          ++i;
        else if (c == '\'')
          quote_ = 0;
        continue;
      }
      const bool token_start = i == first || line[i - 1] == ' ' ||
                               (flow_depth_ > 0 && (line[i - 1] == '[' || line[i - 1] == '{' ||
                                                    line[i - 1] == ',' || line[i - 1] == ':'));
      if (c == '#' && (i == first || line[i - 1] == ' ')) break;
      if ((c == '"' || c == '\'') && token_start) {
        quote_ = c;
      } else if (c == ',' && flow_depth_ > 0) {
        if (!count_value(line, number, i)) return false;
      } else if ((c == '[' || c == '{') && (flow_depth_ > 0 || token_start)) {
        ++flow_depth_;
        if (!count_value(line, number, i)) return false;
        if (levels + flow_depth_ > limits_.max_depth) return too_deep(line, number, i);
      } else if ((c == ']' || c == '}') && flow_depth_ > 0) {
        --flow_depth_;
      }
    }
    if (levels + flow_depth_ > limits_.max_depth) return too_deep(line, number, first);
    if (quote_ == 0 && flow_depth_ == 0) note_block_scalar(line, indent);
    return true;
  }

 private:
  // Counts one more value (roughly: a line, a list item, a flow entry); false past the limit.
  bool count_value(std::string_view line, int number, std::size_t offset) {
    if (++values_ <= limits_.max_file_values) return true;
    out_.push_back(text_error(file_, number, column_of(line, offset), "spec.size_limit",
                              "the input has more than " + std::to_string(limits_.max_file_values) +
                                  " values; split it into several files",
                              std::string(line.substr(0, 200))));
    return false;
  }

  bool too_deep(std::string_view line, int number, std::size_t offset) {
    out_.push_back(text_error(file_, number, column_of(line, offset), "spec.depth_limit",
                              "nesting is deeper than " + std::to_string(limits_.max_depth) + " levels",
                              std::string(line.substr(0, 200))));
    return false;
  }

  // "key: |", "- >-" and friends: the following more-indented lines are text, not structure.
  void note_block_scalar(std::string_view line, std::size_t indent) {
    std::size_t end = line.find(" #");
    std::string_view s = line.substr(0, end);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    std::size_t k = s.size();
    while (k > 0 && (s[k - 1] == '-' || s[k - 1] == '+' || (s[k - 1] >= '0' && s[k - 1] <= '9'))) --k;
    if (k == 0 || (s[k - 1] != '|' && s[k - 1] != '>')) return;
    if (k >= 2 && s[k - 2] != ' ') return;
    in_block_scalar_ = true;
    block_parent_indent_ = indent;
  }

  const std::string& file_;
  const SourceLimits& limits_;
  Diagnostics& out_;
  std::vector<std::size_t> indents_;
  int flow_depth_ = 0;
  std::size_t values_ = 0;
  char quote_ = 0;
  bool in_block_scalar_ = false;
  std::size_t block_parent_indent_ = 0;
};

}  // namespace

int column_of(std::string_view line, std::size_t offset) {
  int column = 1;
  for (std::size_t i = 0; i < offset && i < line.size(); ++i)
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++column;
  return column;
}

std::string line_of(std::string_view text, int line) {
  std::size_t start = 0;
  for (int n = 1; n < line; ++n) {
    start = text.find('\n', start);
    if (start == std::string_view::npos) return "";
    ++start;
  }
  std::size_t end = text.find('\n', start);
  std::string_view s = text.substr(start, end == std::string_view::npos ? text.size() - start : end - start);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return std::string(s);
}

LineIndex::LineIndex(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts_.push_back(i + 1);
}

std::string_view LineIndex::line(int line) const {
  if (line < 1 || line > count()) return {};
  const std::size_t start = starts_[static_cast<std::size_t>(line - 1)];
  std::size_t end = line < count() ? starts_[static_cast<std::size_t>(line)] - 1 : text_.size();
  std::string_view s = text_.substr(start, end - start);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

Diagnostics check_source_text(std::string_view text, const std::string& file, const SourceLimits& limits) {
  Diagnostics out;
  check_encoding(text, file, out);
  if (!out.empty()) return out;
  StructureScanner scanner(file, limits, out);
  std::size_t start = 0;
  for (int number = 1; start <= text.size(); ++number) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!scanner.scan_line(line, number)) break;
    start = end + 1;
  }
  return out;
}

}  // namespace provision::spec
