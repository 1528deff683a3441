// The state file's bytes: State <-> versioned JSON with a checksum, so that any
// truncation or damaged byte is refused instead of read as a different state.
#pragma once

#include <string>
#include <string_view>

#include "state/cluster_state.hpp"

namespace provision::state {

// Pretty-printed JSON (stable key order, clusters sorted by identity) ending in a
// newline, with "checksum" over the rest of the document.
std::string encode_state(const State& state);

// The state in `text`. Throws Error(kState) saying what is wrong (bad JSON, a
// newer formatVersion, a schema violation, a checksum mismatch); the message does
// not name the file, the caller adds that.
State decode_state(std::string_view text);

}  // namespace provision::state
