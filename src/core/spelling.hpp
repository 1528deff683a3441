// "Did you mean ...?" suggestions for unknown keys, commands and options.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace provision {

// Levenshtein distance (case-sensitive).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate within a small distance, or "" when none is close.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace provision
