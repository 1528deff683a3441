// Raw-text checks that run before yaml-cpp: encoding, tabs and nesting depth.
#include "spec/source_text.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace provision::spec;

namespace {

std::string codes(std::string_view text, SourceLimits limits = {}) {
  std::string out;
  for (const auto& d : check_source_text(text, "f", limits))
    out += d.code + "@" + std::to_string(d.location.line) + ":" + std::to_string(d.location.column) + " ";
  return out;
}

// An input and the diagnostics it gives under a limit.
struct LimitCase {
  std::string text;
  std::string expected;
};

void check_under(const SourceLimits& limits, const std::vector<LimitCase>& cases) {
  for (const auto& c : cases) CHECK_MESSAGE(codes(c.text, limits) == c.expected, c.text);
}

}  // namespace

TEST_CASE("UTF-8 is validated, with the column in characters") {
  CHECK(codes("a: ü\nb: 日本\n") == "");
  CHECK(codes("a: ü\xff\n") == "spec.invalid_utf8@1:5 ");
  CHECK(codes("\xc0\xaf") == "spec.invalid_utf8@1:1 ");           // overlong "/"
  CHECK(codes("x\xed\xa0\x80") == "spec.invalid_utf8@1:2 ");      // surrogate
  CHECK(codes("x\xf4\x90\x80\x80") == "spec.invalid_utf8@1:2 ");  // > U+10FFFF
  CHECK(codes("ok\n\xe6\x97") == "spec.invalid_utf8@2:1 ");       // truncated
  CHECK(codes("a: b\x01") == "spec.control_character@1:5 ");
  CHECK(codes(std::string("a\0b", 3)) == "spec.control_character@1:2 ");
  CHECK(codes("a: \"tab\there\"\r\n") == "");
}

TEST_CASE("tabs are refused in indentation only") {
  CHECK(codes("a:\n\tb: 1\n") == "spec.tab_indent@2:1 ");
  CHECK(codes("a:\n  \tb: 1\n") == "spec.tab_indent@2:3 ");
  CHECK(codes("a: x\ty\n") == "");
  CHECK(codes("a: |\n  text\n\t\n") == "");
  CHECK(codes("a: |\n  \ttab inside a block scalar\n") == "");
}

TEST_CASE("nesting depth is bounded before parsing") {
  SourceLimits limits;
  limits.max_depth = 4;
  check_under(limits,
              {
                  {"a:\n  b:\n    c:\n      d: 1\n", ""},
                  {"a:\n  b:\n    c:\n      d:\n        e: 1\n", "spec.depth_limit@5:9 "},
                  {"a: [[[1]]]\n", ""},
                  {"a: [[[[1]]]]\n", "spec.depth_limit@1:7 "},
                  {"a: {b: [{c: 1}]}\n", ""},
                  {"- - - - - x\n", "spec.depth_limit@1:1 "},
                  {"a: \"[[[[[[[[\"\nb: '{{{{{{{'\nc: x[[[[[[[\n", ""},
                  {"a: |\n  [[[[[[[[[[\n", ""},
                  {"a: [\n [\n  [\n   [\n", "spec.depth_limit@4:4 "},  // flow collections count across lines
              });
}

TEST_CASE("10,000 levels are refused quickly and without recursion") {
  const std::string flow = "a: " + std::string(10000, '[') + std::string(10000, ']');
  CHECK(codes(flow) == "spec.depth_limit@1:67 ");
  std::string block = "a:\n";
  for (int i = 0; i < 10000; ++i) block += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
  CHECK(codes(block).rfind("spec.depth_limit@", 0) == 0);
}

TEST_CASE("line_of and column_of") {
  CHECK(line_of("a\r\nb\nc", 1) == "a");
  CHECK(line_of("a\r\nb\nc", 3) == "c");
  CHECK(line_of("a", 2) == "");
  CHECK(column_of("日本x", 6) == 3);
}

TEST_CASE("the number of values in one input is bounded before parsing") {
  SourceLimits limits;
  limits.max_file_values = 10;
  check_under(limits, {
                          {"a: [1, 2, 3, 4]\nb: {c: 1, d: 2}\n", ""},
                          {"a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]\n", "spec.size_limit@1:30 "},
                          {"- - 1\n- 2\n- 3\n- 4\n- 5\n- 6\n", "spec.size_limit@5:1 "},
                      });
  std::string many = "a: [";
  for (int i = 0; i < 150000; ++i) many += "1,";
  many += "1]\n";
  CHECK(codes(many).rfind("spec.size_limit@1:", 0) == 0);
}
