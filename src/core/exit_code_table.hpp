// The one table of provision's exit codes: --help, the man pages and doc/exit-codes.md
// (checked by a test) are all made from it.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/exit_code.hpp"

namespace provision {

struct ExitCodeRow {
  ExitCode code;
  std::string_view name;     // stable word for scripts and docs: "usage", "locked"
  std::string_view summary;  // one short line for --help and the man pages
  std::string_view meaning;  // the full sentence of doc/exit-codes.md (Markdown)
};

// Every ExitCode, in ascending order.
std::span<const ExitCodeRow> exit_code_table();

// The "Exit codes:" block of --help: a header line, then "  CODE meaning" per code.
std::string exit_code_help();

}  // namespace provision
