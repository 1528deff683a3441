// Loading one input, with no state shared with other inputs (thread-safe: the schema is
// parsed once under a lock and each thread has its own validator).
#include "spec/file_loader.hpp"

#include <algorithm>
#include <set>

#include "core/utf8.hpp"
#include "spec/cross_field_rules.hpp"
#include "spec/embedded_schema.hpp"
#include "spec/schema_messages.hpp"
#include "spec/schema_validator.hpp"
#include "spec/secret_fields.hpp"
#include "spec/spec_normalizer.hpp"
#include "spec/yaml_document.hpp"

namespace provision::spec {
namespace {

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

void locate(const LineIndex& text, Diagnostics&& from, LocatedDiagnostics& to) {
  for (auto& d : from) {
    to.lines.push_back(d.location.line > 0 && d.source_line.empty() ? printable(text.line(d.location.line))
                                                                    : std::string());
    to.diagnostics.push_back(std::move(d));
  }
}

LoadedDocument load_document(YamlDocument& doc, const LineIndex& lines, const LoadOptions& options) {
  LoadedDocument out;
  for (const SourceMap* map : {&doc.map, &doc.duplicates})
    for (const auto& [pointer, entry] : map->entries())
      if (is_secret_document_pointer(pointer)) note_secret(lines, entry, out.secrets);
  if (!doc.complete) return out;
  if (!doc.root.is_object()) {
    Diagnostic d;
    d.code = "spec.not_mapping";
    d.location = doc.start;
    d.message = std::string("a cluster spec must be a mapping (apiVersion, kind, metadata, spec), got ") +
                (doc.root.is_array() ? "a list" : "a single value");
    locate(lines, {std::move(d)}, out.found);
    return out;
  }
  Diagnostics found;
  expand_document(doc.root, doc.map, options.env, found);
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
  locate(lines, std::move(found), out.found);
  if (!valid) return out;
  ClusterSpec cluster = normalize_spec(doc.root.as_object(), doc.start);
  out.name_at = doc.map.value_location("/metadata/name");
  out.name_line = printable(lines.line(out.name_at.line));
  if (options.keep_source_maps) cluster.source = std::move(doc.map);
  out.cluster = std::move(cluster);
  return out;
}

}  // namespace

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

LoadedFile load_file_text(const std::string& text, const std::string& file, const LoadOptions& options) {
  LoadedFile out;
  const LineIndex lines(text);
  Diagnostics diagnostics = check_source_text(text, file, options.limits);
  if (!diagnostics.empty()) {
    locate(lines, std::move(diagnostics), out.found);
    return out;
  }
  std::vector<YamlDocument> documents = parse_yaml_documents(text, file, options.limits, diagnostics);
  if (documents.empty() && diagnostics.empty()) {
    Diagnostic d;
    d.code = "spec.empty";
    d.location = {file, 1, 1};
    d.message =
        "no cluster spec here: the file is empty (expected a mapping with apiVersion, kind, metadata, spec)";
    diagnostics.push_back(std::move(d));
  }
  locate(lines, std::move(diagnostics), out.found);
  out.documents.reserve(documents.size());
  for (auto& doc : documents) {
    out.documents.push_back(load_document(doc, lines, options));
    doc = YamlDocument{};  // checked: its tree and source map are not needed any more
  }
  return out;
}

}  // namespace provision::spec
