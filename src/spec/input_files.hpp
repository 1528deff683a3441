// Which files a command reads (files, directories searched for *.yaml/*.yml, "-" for
// stdin) and reading them with a size cap.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"

namespace provision::spec {

struct InputFile {
  std::string name;  // as shown in diagnostics: the path as given or found, "-" for stdin
  bool is_stdin = false;
};

// Expands directories recursively (sorted; hidden entries skipped). Unreadable paths and
// directories without specs become diagnostics.
std::vector<InputFile> expand_inputs(const std::vector<std::string>& paths, Diagnostics& diagnostics);

// The whole input, or nullopt with a diagnostic (unreadable, or larger than max_bytes).
std::optional<std::string> read_input(const InputFile& input, std::istream* stdin_stream,
                                      std::size_t max_bytes, Diagnostics& diagnostics);

}  // namespace provision::spec
