// UTF-8 validity: text that leaves the program inside JSON must be valid UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace provision {

// Length of the valid UTF-8 sequence starting at text[offset] (1-4), or 0 when it is
// invalid (bad lead byte, truncated, overlong, surrogate or above U+10FFFF).
std::size_t utf8_sequence_length(std::string_view text, std::size_t offset);

// `text` with every invalid byte replaced by U+FFFD, so it can be put into JSON.
std::string to_valid_utf8(std::string_view text);

}  // namespace provision
