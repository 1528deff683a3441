// Orchestrates the stages: raw-text checks -> YAML -> ${VAR} -> schema -> cross-field
// rules -> ClusterSpec, then identity uniqueness across every input.
#include "spec/spec_loader.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "core/utf8.hpp"
#include "spec/cross_field_rules.hpp"
#include "spec/embedded_schema.hpp"
#include "spec/input_files.hpp"
#include "spec/schema_messages.hpp"
#include "spec/schema_validator.hpp"
#include "spec/secret_fields.hpp"
#include "spec/spec_normalizer.hpp"
#include "spec/yaml_document.hpp"

namespace provision::spec {
namespace {

// Source lines to hide: line -> first column (1-based) that shows secret text.
using SecretLines = std::map<int, int>;

std::size_t indentation(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

// A secret's value starts at its value position and may continue on more-indented lines
// (block or multi-line scalars); all of that is hidden.
void note_secret(const LineIndex& text, const SourceEntry& entry, SecretLines& lines) {
  if (entry.value.line <= 0) return;
  auto& first = lines[entry.value.line];
  first = first == 0 ? entry.value.column : std::min(first, entry.value.column);
  const std::size_t key_indent = entry.key.line > 0 ? static_cast<std::size_t>(entry.key.column - 1) : 0;
  for (int n = entry.value.line + 1; n <= text.count(); ++n) {
    const std::string_view line = text.line(n);
    const std::size_t indent = indentation(line);
    if (indent < line.size() && indent <= key_indent) break;
    lines[n] = static_cast<int>(indent) + 1;
  }
}

std::string redacted_line(const std::string& line, int from_column) {
  std::string out;
  int column = 1;
  for (char c : line) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && column++ >= from_column) break;
    out += c;
  }
  return out + std::string(kRedacted);
}

constexpr std::size_t kMaxSourceLine = 240;

// Invalid UTF-8 and control characters (already reported) must not reach the terminal.
std::string printable(std::string_view line) {
  std::string out;
  for (std::size_t i = 0; i < line.size();) {
    const auto c = static_cast<unsigned char>(line[i]);
    const std::size_t n = utf8_sequence_length(line, i);
    if (n == 0 || (c < 0x20 && c != '\t') || c == 0x7F) {
      out += '?';
      ++i;
    } else {
      out.append(line, i, n);
      i += n;
    }
  }
  return out;
}

void attach_source_lines(const LineIndex& text, const SecretLines& secrets, Diagnostics& diagnostics) {
  for (auto& d : diagnostics) {
    if (d.location.line <= 0 || !d.source_line.empty()) continue;
    std::string line = printable(text.line(d.location.line));
    if (auto it = secrets.find(d.location.line); it != secrets.end()) line = redacted_line(line, it->second);
    if (line.size() > kMaxSourceLine) line.resize(kMaxSourceLine);
    d.source_line = std::move(line);
  }
}

struct Identity {
  std::string region, workspace, name;
  auto operator<=>(const Identity&) const =
      default;  // NOLINT(modernize-use-nullptr): clang-tidy false positive
};

class Loader {
 public:
  explicit Loader(const LoadOptions& options) : options_(options) {}

  void load_text(const std::string& text, const std::string& file) {
    const LineIndex lines(text);
    Diagnostics diagnostics = check_source_text(text, file, options_.limits);
    SecretLines secrets;
    if (diagnostics.empty()) load_documents(text, lines, file, diagnostics, secrets);
    attach_source_lines(lines, secrets, diagnostics);
    std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::tie(a.location.line, a.location.column) < std::tie(b.location.line, b.location.column);
    });
    const std::size_t limit = options_.limits.max_diagnostics;
    if (diagnostics.size() > limit) {
      Diagnostic more;
      more.code = "spec.too_many_errors";
      more.location = {file, 0, 0};
      more.message = "stopped after " + std::to_string(limit) + " errors in this file";
      diagnostics.resize(limit);
      diagnostics.push_back(std::move(more));
    }
    for (auto& d : diagnostics) result_.diagnostics.push_back(std::move(d));
  }

  SpecSet finish() { return std::move(result_); }

  Diagnostics& diagnostics() { return result_.diagnostics; }

 private:
  void load_documents(const std::string& text, const LineIndex& lines, const std::string& file,
                      Diagnostics& diagnostics, SecretLines& secrets) {
    const std::size_t before = diagnostics.size();
    std::vector<YamlDocument> documents = parse_yaml_documents(text, file, options_.limits, diagnostics);
    if (documents.empty() && diagnostics.size() == before) {
      Diagnostic d;
      d.code = "spec.empty";
      d.location = {file, 1, 1};
      d.message =
          "no cluster spec here: the file is empty (expected a mapping with apiVersion, kind, metadata, "
          "spec)";
      diagnostics.push_back(std::move(d));
    }
    for (auto& doc : documents) {
      for (const SourceMap* map : {&doc.map, &doc.duplicates})
        for (const auto& [pointer, entry] : map->entries())
          if (is_secret_document_pointer(pointer)) note_secret(lines, entry, secrets);
      if (doc.complete) load_document(doc, lines, diagnostics);
      doc = YamlDocument{};  // checked: its tree and source map are not needed any more
      if (diagnostics.size() > options_.limits.max_diagnostics) break;  // the rest would not be shown
    }
  }

  void load_document(YamlDocument& doc, const LineIndex& lines, Diagnostics& diagnostics) {
    if (!doc.root.is_object()) {
      Diagnostic d;
      d.code = "spec.not_mapping";
      d.location = doc.start;
      d.message = std::string("a cluster spec must be a mapping (apiVersion, kind, metadata, spec), got ") +
                  (doc.root.is_array() ? "a list" : "a single value");
      diagnostics.push_back(std::move(d));
      return;
    }
    Diagnostics found;
    expand_document(doc.root, doc.map, options_.env, found);
    // A value whose ${VAR} failed still holds the raw text: its other findings would be noise.
    std::set<std::string> unexpanded;
    for (const auto& d : found) unexpanded.insert(d.pointer);
    const auto& schema = raycluster_schema();
    Diagnostics checks =
        schema_diagnostics(schema, doc.root, validate_against_schema(schema, doc.root), doc.map);
    for (auto& d : check_cross_field_rules(doc.root, doc.map)) checks.push_back(std::move(d));
    for (auto& d : checks)
      if (!unexpanded.count(d.pointer)) found.push_back(std::move(d));
    const bool valid = !has_errors(found);
    for (auto& d : found) diagnostics.push_back(std::move(d));
    if (!valid) return;
    ClusterSpec cluster = normalize_spec(doc.root.as_object(), doc.start);
    check_identity(cluster, doc.map.value_location("/metadata/name"), lines, diagnostics);
    cluster.source = std::move(doc.map);
    result_.clusters.push_back(std::move(cluster));
  }

  void check_identity(const ClusterSpec& c, const SourceLocation& at, const LineIndex& text,
                      Diagnostics& diagnostics) {
    auto [it, inserted] = identities_.emplace(Identity{c.region_id, c.workspace_id, c.name}, at);
    if (inserted) return;
    const SourceLocation& first = it->second;
    Diagnostic d;
    d.code = "spec.duplicate_cluster";
    d.location = at;
    d.pointer = "/metadata/name";
    d.message = "cluster '" + c.name + "' in workspace " + c.workspace_id + " (" + c.region_id +
                ") is already defined at " + first.file + ":" + std::to_string(first.line) + ":" +
                std::to_string(first.column);
    d.source_line = printable(text.line(at.line));
    diagnostics.push_back(std::move(d));
  }

  const LoadOptions& options_;
  SpecSet result_;
  std::map<Identity, SourceLocation> identities_;
};

}  // namespace

SpecSet load_specs(const std::vector<std::string>& paths, const LoadOptions& options) {
  Loader loader(options);
  const std::vector<InputFile> inputs = expand_inputs(paths, loader.diagnostics());
  for (const auto& input : inputs) {
    std::optional<std::string> text =
        read_input(input, options.stdin_stream, options.limits.max_bytes, loader.diagnostics());
    if (text) loader.load_text(*text, input.name);
  }
  return loader.finish();
}

SpecSet load_spec_text(const std::string& text, const std::string& file, const LoadOptions& options) {
  Loader loader(options);
  loader.load_text(text, file);
  return loader.finish();
}

}  // namespace provision::spec
