// The spec pipeline's entry point: paths -> cluster specs, or every problem at once.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "spec/cluster_spec.hpp"
#include "spec/env_expansion.hpp"
#include "spec/source_text.hpp"

namespace provision::spec {

struct SpecSet {
  std::vector<ClusterSpec> clusters;  // only the documents without errors
  Diagnostics diagnostics;            // sorted by file (in input order), line, column
};

struct LoadOptions {
  EnvLookup env = process_environment();  // ${VAR} source; tests pass their own
  std::istream* stdin_stream = nullptr;   // read for the path "-"
  SourceLimits limits;
  bool keep_source_maps = true;  // ClusterSpec::source; bodies alone do not need it
};

// Loads files, directories (recursive, *.yaml/*.yml, sorted) and "-" (stdin). Each YAML
// document is one cluster; (regionId, workspaceId, name) must be unique across all inputs.
// Diagnostics carry the source line (secrets redacted) for the caret display.
SpecSet load_specs(const std::vector<std::string>& paths, const LoadOptions& options = {});

// The same pipeline for text already in memory, shown as `file` in diagnostics.
SpecSet load_spec_text(const std::string& text, const std::string& file, const LoadOptions& options = {});

// One input already read: its name in diagnostics and its bytes.
struct SpecText {
  std::string name;
  std::string text;
};

// The pipeline for several inputs already read, loaded in parallel, merged in their order.
SpecSet load_spec_texts(const std::vector<SpecText>& texts, const LoadOptions& options = {});

}  // namespace provision::spec
