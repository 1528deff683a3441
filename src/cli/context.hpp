// What a command needs from the process: streams, terminal facts, output format.
#pragma once

#include <iosfwd>
#include <string>

namespace provision::cli {

enum class OutputFormat { kText, kJson, kMarkdown };  // markdown: plan and show only

struct Context {
  std::ostream& out;
  std::ostream& err;
  std::istream& in;
  bool stdin_is_tty = false;
  bool stdout_is_tty = false;
  bool stderr_is_tty = false;
  bool color = false;  // off when NO_COLOR is set, with --no-color, or when not a terminal
  OutputFormat format = OutputFormat::kText;
};

}  // namespace provision::cli
