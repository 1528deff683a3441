// Splitting one fuzz input into the parts of an HTTP message, deterministically, so that
// seeds can be written by hand as text: "name: value" lines, an empty line, then the body.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace provision::fuzz {

using Fields = std::vector<std::pair<std::string, std::string>>;

// Takes the text up to the first '\n' (excluded) off the front of `input`.
inline std::string_view take_line(std::string_view& input) {
  std::size_t end = input.find('\n');
  std::string_view line = input.substr(0, end);
  input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// "name: value" lines until an empty line (consumed); a line without ':' is a name with an
// empty value. What remains in `input` is the body.
inline Fields take_fields(std::string_view& input) {
  Fields fields;
  while (!input.empty()) {
    std::string_view line = take_line(input);
    if (line.empty()) break;
    std::size_t colon = line.find(':');
    std::string_view name = line.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    fields.emplace_back(std::string(name), std::string(value));
  }
  return fields;
}

}  // namespace provision::fuzz
