// yaml-cpp is used only here: its exceptions and 0-based marks stop at this file.
#include "spec/yaml_document.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <string_view>
#include <unordered_map>

#include "core/json_pointer.hpp"
#include "spec/scalar_resolver.hpp"
#include "spec/secret_fields.hpp"

namespace provision::spec {
namespace {

// Stops converting one document; the diagnostic has already been recorded.
struct ConversionStopped {};

// yaml-cpp marks count bytes from 0; diagnostics count characters from 1.
class MarkConverter {
 public:
  MarkConverter(const std::string& text, const std::string& file) : lines_(text), file_(file) {}

  SourceLocation operator()(const YAML::Mark& mark) const {
    if (mark.is_null() || mark.line < 0) return {file_, 0, 0};
    if (mark.line >= lines_.count()) return {file_, mark.line + 1, mark.column + 1};
    return {file_, mark.line + 1,
            column_of(lines_.line(mark.line + 1), static_cast<std::size_t>(std::max(mark.column, 0)))};
  }

 private:
  LineIndex lines_;
  const std::string& file_;
};

class Converter {
 public:
  Converter(const MarkConverter& marks, const SourceLimits& limits, Diagnostics& diagnostics)
      : marks_(marks), limits_(limits), diagnostics_(diagnostics) {}

  YamlDocument convert(const YAML::Node& root) {
    YamlDocument doc;
    doc.start = location(root.Mark());
    duplicates_ = &doc.duplicates;
    try {
      doc.root = value_of(root, "", {}, 0, doc.map);
    } catch (const ConversionStopped&) {
      doc.complete = false;
    }
    return doc;
  }

 private:
  SourceLocation location(const YAML::Mark& mark) const { return marks_(mark); }

  [[noreturn]] void stop(const SourceLocation& at, const std::string& pointer, std::string code,
                         std::string message) {
    Diagnostic d;
    d.code = std::move(code);
    d.location = at;
    d.pointer = pointer;
    d.message = std::move(message);
    diagnostics_.push_back(std::move(d));
    throw ConversionStopped{};
  }

  void count(const SourceLocation& at, const std::string& pointer, std::size_t string_bytes) {
    ++values_;
    string_bytes_ += string_bytes;
    if (values_ > limits_.max_values || string_bytes_ > limits_.max_string_bytes)
      stop(at, pointer, "spec.alias_limit",
           "the document expands to more than " + std::to_string(limits_.max_values) + " values or " +
               std::to_string(limits_.max_string_bytes >> 20) + " MiB of text (aliases expanding too much?)");
  }

  boost::json::value value_of(const YAML::Node& node, const std::string& pointer, const SourceLocation& key,
                              int depth, SourceMap& map) {
    SourceEntry entry;
    entry.key = key;
    entry.value = location(node.Mark());
    if (depth > limits_.max_depth)
      // The raw text passed the depth check, so only aliases can get here.
      stop(entry.value, pointer, "spec.depth_limit",
           "aliases nest deeper than " + std::to_string(limits_.max_depth) +
               " levels (an alias inside its own anchor?)");
    switch (node.Type()) {
      case YAML::NodeType::Null:
        // `key:` with nothing after it: yaml-cpp marks the next token, so point at the key.
        if (key.line > 0 && entry.value.line != key.line) entry.value = key;
        count(entry.value, pointer, 0);
        map.set(pointer, entry);
        return nullptr;
      case YAML::NodeType::Scalar: {
        count(entry.value, pointer, node.Scalar().size());
        entry.plain = node.Tag() == "?";
        map.set(pointer, entry);
        return scalar_of(node);
      }
      case YAML::NodeType::Sequence: {
        count(entry.value, pointer, 0);
        map.set(pointer, entry);
        boost::json::array array;
        std::size_t index = 0;
        for (const auto& item : node) {
          array.push_back(value_of(item, append_pointer(pointer, index), {}, depth + 1, map));
          ++index;
        }
        return array;
      }
      case YAML::NodeType::Map:
        count(entry.value, pointer, 0);
        map.set(pointer, entry);
        return mapping_of(node, pointer, depth, map);
      case YAML::NodeType::Undefined:
        break;
    }
    return nullptr;
  }

  boost::json::value mapping_of(const YAML::Node& node, const std::string& pointer, int depth,
                                SourceMap& map) {
    boost::json::object object;
    std::unordered_map<std::string, SourceLocation> seen;
    for (const auto& kv : node) {
      const SourceLocation key_at = location(kv.first.Mark());
      if (!kv.first.IsScalar())
        stop(key_at, pointer, "spec.complex_key", "mapping keys must be plain text, not a list or mapping");
      const std::string key = kv.first.Scalar();
      const std::string child = append_pointer(pointer, key);
      if (auto [it, inserted] = seen.emplace(key, key_at); !inserted) {
        Diagnostic d;
        d.code = "spec.duplicate_key";
        d.location = key_at;
        d.pointer = child;
        const std::string shown = is_within_secret_document_pointer(child) ? "" : " '" + key + "'";
        d.message = "duplicate key" + shown + " (first defined at line " + std::to_string(it->second.line) +
                    ", column " + std::to_string(it->second.column) + ")";
        diagnostics_.push_back(std::move(d));
        // Keep the first, as yaml-cpp's own lookups do; remember where the second one is.
        SourceEntry ignored;
        ignored.key = key_at;
        ignored.value = location(kv.second.Mark());
        duplicates_->set(child, ignored);
        continue;
      }
      object[key] = value_of(kv.second, child, key_at, depth + 1, map);
    }
    return object;
  }

  static boost::json::value scalar_of(const YAML::Node& node) {
    const std::string& tag = node.Tag();
    static const std::string kCore = "tag:yaml.org,2002:";
    if (tag == "?") return resolve_plain_scalar(node.Scalar());
    if (tag == kCore + "int" || tag == kCore + "float" || tag == kCore + "bool" || tag == kCore + "null")
      return resolve_plain_scalar(node.Scalar());
    return boost::json::string(node.Scalar());  // quoted, block, !!str or an unknown tag: text
  }

  const MarkConverter& marks_;
  const SourceLimits& limits_;
  Diagnostics& diagnostics_;
  SourceMap* duplicates_ = nullptr;
  std::size_t values_ = 0;
  std::size_t string_bytes_ = 0;
};

// Sees only where each document starts. yaml-cpp 0.7 cannot parse a stray flow token at
// block level (`,` `]` `}` ...): it reports a null document without consuming the token and
// starts the next document at the same token, so LoadAll loops for ever, growing a list of
// nulls (jbeder/yaml-cpp#1040, fixed after 0.8). A document that is a lone null starting
// where the previous one started made no progress; every later one would be the same.
class ProgressWatch final : public YAML::EventHandler {
 public:
  bool stuck() const { return stuck_; }
  const YAML::Mark& start() const { return start_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    stuck_ = started_ && lone_null_ && mark.pos == start_.pos;
    started_ = true;
    start_ = mark;
    events_ = 0;
    lone_null_ = false;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override { lone_null_ = ++events_ == 1; }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { other(); }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {
    other();
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    other();
  }
  void OnSequenceEnd() override { other(); }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    other();
  }
  void OnMapEnd() override { other(); }

 private:
  void other() {
    ++events_;
    lone_null_ = false;
  }

  bool started_ = false;
  bool stuck_ = false;
  bool lone_null_ = false;
  std::size_t events_ = 0;
  YAML::Mark start_ = YAML::Mark::null_mark();
};

// The mark of the token yaml-cpp would never get past, if there is one. A first pass with
// events only (nothing is kept), so LoadAll runs only on text it is known to finish.
std::optional<YAML::Mark> unparsable_token(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  ProgressWatch watch;
  while (parser.HandleNextDocument(watch))
    if (watch.stuck()) return watch.start();
  return std::nullopt;
}

// What yaml-cpp stopped at, in words: it gives only a position.
std::string describe_token_at(const std::string& text, const YAML::Mark& mark) {
  if (mark.pos < 0 || static_cast<std::size_t>(mark.pos) >= text.size()) return "unexpected text";
  const char c = text[static_cast<std::size_t>(mark.pos)];
  if (c == ',' || c == ']' || c == '}')
    return std::string("unexpected '") + c + "' (a flow indicator outside [...] or {...}?)";
  if (c > ' ' && c < 0x7f) return std::string("unexpected '") + c + "'";
  return "unexpected text";
}

}  // namespace

std::vector<YamlDocument> parse_yaml_documents(const std::string& text, const std::string& file,
                                               const SourceLimits& limits, Diagnostics& diagnostics) {
  const MarkConverter marks(text, file);
  std::vector<YAML::Node> nodes;
  try {
    if (auto stuck = unparsable_token(text)) {
      Diagnostic d;
      d.code = "spec.yaml_syntax";
      d.location = marks(*stuck);
      d.message = "invalid YAML: " + describe_token_at(text, *stuck);
      diagnostics.push_back(std::move(d));
      return {};
    }
    nodes = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    Diagnostic d;
    d.code = "spec.yaml_syntax";
    d.location = marks(e.mark);
    d.message = "invalid YAML: " + e.msg;
    diagnostics.push_back(std::move(d));
    return {};
  }
  // Each document's YAML tree (its own memory, one per document in LoadAll) is released as
  // soon as it is converted, so a file of many documents never holds both forms whole.
  // Held in optionals because assigning a YAML::Node rebinds the node it refers to (so
  // swap, erase and `= Node()` would alter documents) instead of dropping the reference.
  std::vector<std::optional<YAML::Node>> held(nodes.begin(), nodes.end());
  nodes.clear();
  std::vector<YamlDocument> documents;
  documents.reserve(held.size());
  for (auto& slot : held) {
    const YAML::Node node = *slot;
    slot.reset();
    if (node.IsNull()) continue;
    Converter converter(marks, limits, diagnostics);
    documents.push_back(converter.convert(node));
  }
  return documents;
}

}  // namespace provision::spec
