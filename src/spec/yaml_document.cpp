// libyaml is used only here, through its event parser: each document's events are kept
// (small records, not a node tree) until the document ends, then converted and dropped.
// Keeping the events lets an alias be converted again from its anchor's events, so alias
// expansion, its limits and the positions it reports behave as for any other node.
#include "spec/yaml_document.hpp"

#include <yaml.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string_view>
#include <unordered_map>

#include "core/json_pointer.hpp"
#include "spec/scalar_resolver.hpp"
#include "spec/secret_fields.hpp"

namespace provision::spec {
namespace {

// Stops converting one document; the diagnostic has already been recorded.
struct ConversionStopped {};

constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

// One node of a document, in document order. A collection's children follow it, up to `end`.
struct Node {
  enum class Kind : std::uint8_t { kScalar, kSequence, kMapping, kAlias };
  Kind kind = Kind::kScalar;
  bool plain = false;          // a plain scalar without a tag: typed by the core schema
  int line = 0;                // 1-based
  int column = 0;              // 1-based, in characters (libyaml counts characters)
  std::size_t end = kNone;     // collections: index one past the last descendant
  std::size_t target = kNone;  // aliases: index of the anchored node
  std::string text;            // scalars: the value
  std::string tag;             // "" when none; shorthands are resolved (!!str -> tag:yaml.org,2002:str)
};

bool is_null_word(std::string_view text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

// A null as YAML 1.2's core schema reads it: an untagged plain `~`, `null` or nothing.
bool is_null(const Node& n) { return n.kind == Node::Kind::kScalar && n.plain && is_null_word(n.text); }

std::string_view view(const yaml_char_t* text) {
  return text ? std::string_view(reinterpret_cast<const char*>(text)) : std::string_view();
}

class Converter {
 public:
  Converter(const std::vector<Node>& nodes, const std::string& file, const SourceLimits& limits,
            Diagnostics& diagnostics)
      : nodes_(nodes), file_(file), limits_(limits), diagnostics_(diagnostics) {}

  YamlDocument convert() {
    YamlDocument doc;
    doc.start = location(resolved(0));
    duplicates_ = &doc.duplicates;
    try {
      doc.root = value_of(0, "", {}, 0, doc.map);
    } catch (const ConversionStopped&) {
      doc.complete = false;
    }
    return doc;
  }

 private:
  const Node& resolved(std::size_t index) const {
    const Node& n = nodes_[index];
    return n.kind == Node::Kind::kAlias ? nodes_[n.target] : n;
  }

  SourceLocation location(const Node& n) const { return {file_, n.line, n.column}; }

  std::size_t next_sibling(std::size_t index) const {
    const Node& n = nodes_[index];
    return n.kind == Node::Kind::kSequence || n.kind == Node::Kind::kMapping ? n.end : index + 1;
  }

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

  // An alias is its anchored node again: converted anew, counted anew, at its own position.
  boost::json::value value_of(std::size_t index, const std::string& pointer, const SourceLocation& key,
                              int depth, SourceMap& map) {
    if (nodes_[index].kind == Node::Kind::kAlias) index = nodes_[index].target;
    const Node& node = nodes_[index];
    SourceEntry entry;
    entry.key = key;
    entry.value = location(node);
    if (depth > limits_.max_depth)
      // The raw text passed the depth check, so only aliases can get here.
      stop(entry.value, pointer, "spec.depth_limit",
           "aliases nest deeper than " + std::to_string(limits_.max_depth) +
               " levels (an alias inside its own anchor?)");
    switch (node.kind) {
      case Node::Kind::kScalar:
        if (is_null(node)) {
          // `key:` with nothing after it: libyaml places the empty value after the colon; point
          // at the key, where a reader looks.
          if (key.line > 0 && (node.text.empty() || entry.value.line != key.line)) entry.value = key;
          count(entry.value, pointer, 0);
          map.set(pointer, std::move(entry));
          return nullptr;
        }
        count(entry.value, pointer, node.text.size());
        entry.plain = node.plain;
        map.set(pointer, std::move(entry));
        return scalar_of(node);
      case Node::Kind::kSequence: {
        count(entry.value, pointer, 0);
        map.set(pointer, std::move(entry));
        boost::json::array array;
        std::size_t item = 0;
        for (std::size_t i = index + 1; i < node.end; i = next_sibling(i))
          array.push_back(value_of(i, append_pointer(pointer, item++), {}, depth + 1, map));
        return array;
      }
      case Node::Kind::kMapping:
        count(entry.value, pointer, 0);
        map.set(pointer, std::move(entry));
        return mapping_of(index, pointer, depth, map);
      case Node::Kind::kAlias:
        break;  // resolved above; an anchor never names an alias
    }
    return nullptr;
  }

  boost::json::value mapping_of(std::size_t index, const std::string& pointer, int depth, SourceMap& map) {
    const Node& node = nodes_[index];
    boost::json::object object;
    std::unordered_map<std::string_view, SourceLocation> seen;
    for (std::size_t k = index + 1; k < node.end;) {
      const std::size_t v = next_sibling(k);
      const std::size_t after = next_sibling(v);
      const Node& key_node = resolved(k);
      const SourceLocation key_at = location(key_node);
      if (key_node.kind != Node::Kind::kScalar || is_null(key_node))
        stop(key_at, pointer, "spec.complex_key", "mapping keys must be plain text, not a list or mapping");
      const std::string& key = key_node.text;
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
        // Keep the first; remember where the second one is, for redaction.
        SourceEntry ignored;
        ignored.key = key_at;
        ignored.value = location(resolved(v));
        duplicates_->set(child, std::move(ignored));
      } else {
        object[key] = value_of(v, child, key_at, depth + 1, map);
      }
      k = after;
    }
    return object;
  }

  static boost::json::value scalar_of(const Node& node) {
    if (node.plain) return resolve_plain_scalar(node.text);
    static const std::string kCore = "tag:yaml.org,2002:";
    const std::string& tag = node.tag;
    if (tag == kCore + "int" || tag == kCore + "float" || tag == kCore + "bool" || tag == kCore + "null")
      return resolve_plain_scalar(node.text);
    return boost::json::string(node.text);  // quoted, block, !!str or an unknown tag: text
  }

  const std::vector<Node>& nodes_;
  const std::string& file_;
  const SourceLimits& limits_;
  Diagnostics& diagnostics_;
  SourceMap* duplicates_ = nullptr;
  std::size_t values_ = 0;
  std::size_t string_bytes_ = 0;
};

// Owns a libyaml parser over text that outlives it.
class EventParser {
 public:
  explicit EventParser(const std::string& text) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  }
  ~EventParser() { yaml_parser_delete(&parser_); }
  EventParser(const EventParser&) = delete;
  EventParser& operator=(const EventParser&) = delete;

  // The next event, or false on a syntax error (see problem()).
  bool next(yaml_event_t& event) { return yaml_parser_parse(&parser_, &event) != 0; }
  const yaml_parser_t& state() const { return parser_; }

 private:
  yaml_parser_t parser_{};
};

// Frees an event at scope exit.
struct EventGuard {
  yaml_event_t& event;
  ~EventGuard() { yaml_event_delete(&event); }
};

// What the parser stopped at, in words, where libyaml's own wording would mislead: a stray
// flow indicator at block level is "unexpected ','", not a missing node.
std::string describe_syntax_error(const yaml_parser_t& p, std::string_view offending) {
  const std::string problem = p.problem ? p.problem : "unreadable text";
  const std::string_view context = view(reinterpret_cast<const yaml_char_t*>(p.context));
  const bool block_level = context.empty() || context.find("block") != std::string_view::npos ||
                           problem.find("document start") != std::string::npos;
  if (block_level && !offending.empty() &&
      (offending[0] == ',' || offending[0] == ']' || offending[0] == '}'))
    return std::string("unexpected '") + offending[0] + "' (a flow indicator outside [...] or {...}?)";
  std::string message = problem;
  if (!context.empty())
    message += " (" + std::string(context) + " that starts at line " +
               std::to_string(p.context_mark.line + 1) + ", column " +
               std::to_string(p.context_mark.column + 1) + ")";
  return message;
}

// Byte offset of the `column`-th character (0-based) of line `line` (0-based), or npos.
std::size_t offset_of(const LineIndex& lines, const std::string& text, std::size_t line, std::size_t column) {
  if (line >= static_cast<std::size_t>(lines.count())) return std::string::npos;
  const std::string_view l = lines.line(static_cast<int>(line) + 1);
  std::size_t i = 0;
  for (std::size_t chars = 0; i < l.size(); ++i) {
    if ((static_cast<unsigned char>(l[i]) & 0xC0) == 0x80) continue;
    if (chars++ == column) break;
  }
  if (i >= l.size()) return std::string::npos;
  return static_cast<std::size_t>(l.data() - text.data()) + i;
}

Diagnostic syntax_error(const yaml_parser_t& p, const std::string& text, const std::string& file) {
  const LineIndex lines(text);
  Diagnostic d;
  d.code = "spec.yaml_syntax";
  if (p.error == YAML_READER_ERROR) {
    // Encoding problems carry a byte offset, not a mark.
    std::size_t line = 1, line_start = 0;
    for (std::size_t i = 0; i < p.problem_offset && i < text.size(); ++i)
      if (text[i] == '\n') ++line, line_start = i + 1;
    const std::size_t offset = std::min(p.problem_offset, text.size());
    d.location = {file, static_cast<int>(line),
                  column_of(std::string_view(text).substr(line_start), offset - line_start)};
    d.message = std::string("invalid YAML: ") + (p.problem ? p.problem : "unreadable text");
    return d;
  }
  const yaml_mark_t& mark = p.problem ? p.problem_mark : p.context_mark;
  d.location = {file, static_cast<int>(mark.line) + 1, static_cast<int>(mark.column) + 1};
  const std::size_t at = offset_of(lines, text, mark.line, mark.column);
  d.message = "invalid YAML: " + describe_syntax_error(p, at == std::string::npos
                                                              ? std::string_view()
                                                              : std::string_view(text).substr(at, 1));
  return d;
}

// Collects one document's nodes from the events; aliases are bound to the anchor defined
// last before them, as YAML requires (anchors do not cross documents).
class DocumentBuilder {
 public:
  explicit DocumentBuilder(const std::string& file) : file_(file) {}

  void start() {
    nodes_.clear();
    anchors_.clear();
    open_.clear();
  }
  const std::vector<Node>& nodes() const { return nodes_; }

  // Returns false for an alias to an unknown anchor, with its diagnostic in `error`.
  bool add(const yaml_event_t& e, Diagnostic& error) {
    switch (e.type) {
      case YAML_SCALAR_EVENT: {
        Node& n = push(Node::Kind::kScalar, e, e.data.scalar.anchor, e.data.scalar.tag);
        n.text.assign(reinterpret_cast<const char*>(e.data.scalar.value), e.data.scalar.length);
        n.plain = e.data.scalar.tag == nullptr && e.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        return true;
      }
      case YAML_SEQUENCE_START_EVENT:
        push(Node::Kind::kSequence, e, e.data.sequence_start.anchor, e.data.sequence_start.tag);
        open_.push_back(nodes_.size() - 1);
        return true;
      case YAML_MAPPING_START_EVENT:
        push(Node::Kind::kMapping, e, e.data.mapping_start.anchor, e.data.mapping_start.tag);
        open_.push_back(nodes_.size() - 1);
        return true;
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        nodes_[open_.back()].end = nodes_.size();
        open_.pop_back();
        return true;
      case YAML_ALIAS_EVENT: {
        const std::string_view name = view(e.data.alias.anchor);
        auto it = anchors_.find(std::string(name));
        if (it == anchors_.end()) {
          error.code = "spec.yaml_syntax";
          error.location = {file_, static_cast<int>(e.start_mark.line) + 1,
                            static_cast<int>(e.start_mark.column) + 1};
          error.message = "invalid YAML: the alias *" + std::string(name) + " names no anchor &" +
                          std::string(name) + " defined before it in this document";
          return false;
        }
        Node& n = push(Node::Kind::kAlias, e, nullptr, nullptr);
        n.target = it->second;
        return true;
      }
      default:
        return true;
    }
  }

 private:
  Node& push(Node::Kind kind, const yaml_event_t& e, const yaml_char_t* anchor, const yaml_char_t* tag) {
    Node& n = nodes_.emplace_back();
    n.kind = kind;
    n.line = static_cast<int>(e.start_mark.line) + 1;
    n.column = static_cast<int>(e.start_mark.column) + 1;
    if (tag) n.tag = view(tag);
    if (anchor) anchors_[std::string(view(anchor))] = nodes_.size() - 1;
    return n;
  }

  const std::string& file_;
  std::vector<Node> nodes_;
  std::unordered_map<std::string, std::size_t> anchors_;
  std::vector<std::size_t> open_;  // collections whose end has not come yet
};

}  // namespace

bool parse_yaml_documents(const std::string& text, const std::string& file, const SourceLimits& limits,
                          Diagnostics& diagnostics, const YamlDocumentSink& sink) {
  const std::size_t before = diagnostics.size();
  auto fail = [&](Diagnostic d) {
    diagnostics.resize(before);  // a syntax error anywhere: the file yields nothing else
    diagnostics.push_back(std::move(d));
    return false;
  };
  EventParser parser(text);
  DocumentBuilder builder(file);
  bool wanted = true;  // the sink still takes documents; parsing goes on to find syntax errors
  for (;;) {
    yaml_event_t event;
    if (!parser.next(event)) return fail(syntax_error(parser.state(), text, file));
    EventGuard guard{event};
    if (event.type == YAML_STREAM_END_EVENT) return true;
    if (event.type == YAML_DOCUMENT_START_EVENT) {
      builder.start();
      continue;
    }
    if (event.type == YAML_DOCUMENT_END_EVENT) {
      const auto& nodes = builder.nodes();
      if (!wanted || nodes.empty() || (nodes.size() == 1 && is_null(nodes[0]))) continue;
      Converter converter(nodes, file, limits, diagnostics);
      YamlDocument doc = converter.convert();
      wanted = sink(doc);
      continue;
    }
    Diagnostic error;
    if (!builder.add(event, error)) return fail(std::move(error));
  }
}

std::vector<YamlDocument> parse_yaml_documents(const std::string& text, const std::string& file,
                                               const SourceLimits& limits, Diagnostics& diagnostics) {
  std::vector<YamlDocument> documents;
  const bool ok = parse_yaml_documents(text, file, limits, diagnostics, [&](YamlDocument& doc) {
    documents.push_back(std::move(doc));
    return true;
  });
  if (!ok) documents.clear();
  return documents;
}

}  // namespace provision::spec
