// One input's share of loading specs: raw-text checks -> YAML -> ${VAR} -> schema ->
// cross-field rules -> ClusterSpec. It depends on no other input, so inputs load in
// parallel; what does depend on the others (identities, the diagnostic cap, source lines
// with secrets hidden) is left to spec_loader, which merges in input order.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "spec/cluster_spec.hpp"
#include "spec/spec_loader.hpp"

namespace provision::spec {

// Source lines to hide: line -> first column (1-based) that shows secret text.
using SecretLines = std::map<int, int>;

// Findings with the printable text of their lines, not yet redacted: which lines hide a
// secret depends on how many documents the merge keeps.
struct LocatedDiagnostics {
  Diagnostics diagnostics;
  std::vector<std::string> lines;  // aligned with diagnostics; "" when there is no line
};

struct LoadedDocument {
  LocatedDiagnostics found;            // ${VAR}, schema, cross-field and shape findings
  SecretLines secrets;                 // lines of this document that show secret values
  std::optional<ClusterSpec> cluster;  // when the document has no error
  SourceLocation name_at;              // where /metadata/name is, for a duplicate identity
  std::string name_line;               // its printable line
};

struct LoadedFile {
  LocatedDiagnostics found;  // raw-text, YAML and conversion findings, and an empty file
  std::vector<LoadedDocument> documents;
};

LoadedFile load_file_text(const std::string& text, const std::string& file, const LoadOptions& options);

// `line` with invalid UTF-8 and control characters replaced by '?'.
std::string printable(std::string_view line);

}  // namespace provision::spec
