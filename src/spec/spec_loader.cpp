// Orchestrates loading: inputs are read and loaded in parallel (file_loader), then merged
// in input order, which is where identities must be unique, each file's findings are capped
// and their source lines get secrets hidden. The merge gives exactly what loading the files
// one after the other would.
#include "spec/spec_loader.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "spec/file_loader.hpp"
#include "spec/input_files.hpp"
#include "spec/secret_fields.hpp"
#include "spec/work_pool.hpp"

namespace provision::spec {
namespace {

constexpr std::size_t kMaxSourceLine = 240;

std::string redacted_line(const std::string& line, int from_column) {
  std::string out;
  int column = 1;
  for (char c : line) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && column++ >= from_column) break;
    out += c;
  }
  return out + std::string(kRedacted);
}

struct Identity {
  std::string region, workspace, name;
  auto operator<=>(const Identity&) const =
      default;  // NOLINT(modernize-use-nullptr): clang-tidy false positive
};

class Merger {
 public:
  explicit Merger(const LoadOptions& options) : options_(options) {}

  void merge(LoadedFile&& file, const std::string& name) {
    LocatedDiagnostics all = std::move(file.found);
    SecretLines secrets;
    for (auto& doc : file.documents) {
      for (const auto& [line, column] : doc.secrets) {
        auto& first = secrets[line];
        first = first == 0 ? column : std::min(first, column);
      }
      append(std::move(doc.found), all);
      if (doc.cluster) {
        check_identity(*doc.cluster, doc.name_at, doc.name_line, all);
        result_.clusters.push_back(std::move(*doc.cluster));
      }
      if (all.diagnostics.size() > options_.limits.max_diagnostics) break;  // the rest would not be shown
    }
    attach_source_lines(all, secrets);
    Diagnostics& diagnostics = all.diagnostics;
    std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::tie(a.location.line, a.location.column) < std::tie(b.location.line, b.location.column);
    });
    const std::size_t limit = options_.limits.max_diagnostics;
    if (diagnostics.size() > limit) {
      Diagnostic more;
      more.code = "spec.too_many_errors";
      more.location = {name, 0, 0};
      more.message = "stopped after " + std::to_string(limit) + " errors in this file";
      diagnostics.resize(limit);
      diagnostics.push_back(std::move(more));
    }
    for (auto& d : diagnostics) result_.diagnostics.push_back(std::move(d));
  }

  SpecSet finish() { return std::move(result_); }
  Diagnostics& diagnostics() { return result_.diagnostics; }

 private:
  static void append(LocatedDiagnostics&& from, LocatedDiagnostics& to) {
    for (auto& d : from.diagnostics) to.diagnostics.push_back(std::move(d));
    for (auto& l : from.lines) to.lines.push_back(std::move(l));
  }

  static void attach_source_lines(LocatedDiagnostics& found, const SecretLines& secrets) {
    for (std::size_t i = 0; i < found.diagnostics.size(); ++i) {
      Diagnostic& d = found.diagnostics[i];
      if (d.location.line <= 0 || !d.source_line.empty()) continue;
      std::string line = std::move(found.lines[i]);
      if (auto it = secrets.find(d.location.line); it != secrets.end())
        line = redacted_line(line, it->second);
      if (line.size() > kMaxSourceLine) line.resize(kMaxSourceLine);
      d.source_line = std::move(line);
    }
  }

  void check_identity(const ClusterSpec& c, const SourceLocation& at, const std::string& line,
                      LocatedDiagnostics& found) {
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
    d.source_line = line;
    found.diagnostics.push_back(std::move(d));
    found.lines.emplace_back();
  }

  const LoadOptions& options_;
  SpecSet result_;
  std::map<Identity, SourceLocation> identities_;
};

// What one input gave: its read failure, or what loading its text found.
struct InputResult {
  Diagnostics read_problems;
  std::optional<LoadedFile> loaded;
};

}  // namespace

SpecSet load_specs(const std::vector<std::string>& paths, const LoadOptions& options) {
  Merger merger(options);
  const std::vector<InputFile> inputs = expand_inputs(paths, merger.diagnostics());
  std::vector<InputResult> results(inputs.size());
  // stdin is read here, in order, so that a second "-" reads what the first left.
  std::vector<std::optional<std::string>> stdin_texts(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].is_stdin)
      stdin_texts[i] =
          read_input(inputs[i], options.stdin_stream, options.limits.max_bytes, results[i].read_problems);
  run_tasks(inputs.size(), [&](std::size_t i) {
    InputResult& result = results[i];
    std::optional<std::string> text =
        inputs[i].is_stdin
            ? std::move(stdin_texts[i])
            : read_input(inputs[i], options.stdin_stream, options.limits.max_bytes, result.read_problems);
    if (text) result.loaded = load_file_text(*text, inputs[i].name, options);
  });
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    for (auto& d : results[i].read_problems) merger.diagnostics().push_back(std::move(d));
    if (results[i].loaded) merger.merge(std::move(*results[i].loaded), inputs[i].name);
    results[i] = InputResult{};
  }
  return merger.finish();
}

SpecSet load_spec_texts(const std::vector<SpecText>& texts, const LoadOptions& options) {
  std::vector<std::optional<LoadedFile>> loaded(texts.size());
  run_tasks(texts.size(),
            [&](std::size_t i) { loaded[i] = load_file_text(texts[i].text, texts[i].name, options); });
  Merger merger(options);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    merger.merge(std::move(*loaded[i]), texts[i].name);
    loaded[i].reset();
  }
  return merger.finish();
}

SpecSet load_spec_text(const std::string& text, const std::string& file, const LoadOptions& options) {
  Merger merger(options);
  merger.merge(load_file_text(text, file, options), file);
  return merger.finish();
}

}  // namespace provision::spec
