// Findings a user fixes (schema violations, duplicate keys, ...): values, not exceptions.
#pragma once

#include <string>
#include <vector>

namespace provision {

enum class Severity { kError, kWarning };

// 1-based line and column; 0 means unknown. `file` is as the user named it ("-" for stdin).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string code;  // stable, e.g. "spec.schema.minimum"
  SourceLocation location;
  std::string pointer;      // RFC 6901 JSON pointer into the document; "" = whole document
  std::string message;      // what was expected and what was found; never a secret
  std::string hint;         // optional, e.g. "did you mean 'headSpec'?"
  std::string source_line;  // the text of the line, for the caret display (secrets redacted)
};

using Diagnostics = std::vector<Diagnostic>;

bool has_errors(const Diagnostics& diagnostics);

}  // namespace provision
