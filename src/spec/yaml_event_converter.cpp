// The conversion rules of a YAML document (typing, duplicate keys, limits) applied to
// yaml-cpp's events as they arrive.
#include "spec/yaml_event_converter.hpp"

#include <algorithm>

#include "core/json_pointer.hpp"
#include "spec/scalar_resolver.hpp"
#include "spec/secret_fields.hpp"

namespace provision::spec {
namespace {

// Stops converting one document; the diagnostic has already been recorded.
struct ConversionStopped {};

using Kind = YamlEventConverter::Kind;

bool starts_collection(Kind kind) { return kind == Kind::kSequenceStart || kind == Kind::kMapStart; }
bool ends_collection(Kind kind) { return kind == Kind::kSequenceEnd || kind == Kind::kMapEnd; }

boost::json::value scalar_of(std::string_view tag, std::string_view text) {
  static constexpr std::string_view kCore = "tag:yaml.org,2002:";
  if (tag == "?") return resolve_plain_scalar(text);
  if (tag.substr(0, kCore.size()) == kCore) {
    const std::string_view type = tag.substr(kCore.size());
    if (type == "int" || type == "float" || type == "bool" || type == "null")
      return resolve_plain_scalar(text);
  }
  return boost::json::string(text);  // quoted, block, !!str or an unknown tag: text
}

}  // namespace

SourceLocation MarkConverter::operator()(const YAML::Mark& mark) const {
  if (mark.is_null() || mark.line < 0) return {file_, 0, 0};
  if (mark.line >= lines_.count()) return {file_, mark.line + 1, mark.column + 1};
  return {file_, mark.line + 1,
          column_of(lines_.line(mark.line + 1), static_cast<std::size_t>(std::max(mark.column, 0)))};
}

void YamlEventConverter::OnDocumentStart(const YAML::Mark& mark) {
  stuck_ = started_ && lone_null_ && mark.pos == document_mark_.pos;
  started_ = true;
  document_mark_ = mark;
  events_ = 0;
  lone_null_ = false;
  doc_ = YamlDocument{};
  has_root_ = root_is_null_ = stopped_ = skip_next_ = false;
  frames_.clear();
  values_ = string_bytes_ = 0;
  skip_open_ = 0;
  log_.clear();
  recordings_.clear();
  open_recordings_.clear();
}

void YamlEventConverter::OnDocumentEnd() {
  // A document that is empty or a lone null is skipped, as LoadAll's null nodes were.
  if (has_root_ && !root_is_null_) {
    doc_.complete = !stopped_;
    documents_.push_back(std::move(doc_));
  }
  doc_ = YamlDocument{};
  frames_.clear();
  log_.clear();
  recordings_.clear();
}

void YamlEventConverter::OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) {
  progress(true);
  receive({Kind::kNull, mark, anchor, {}, {}});
}
void YamlEventConverter::OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) {
  progress(false);
  receive({Kind::kAlias, mark, anchor, {}, {}});
}
void YamlEventConverter::OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                                  const std::string& value) {
  progress(false);
  receive({Kind::kScalar, mark, anchor, tag, value});
}
void YamlEventConverter::OnSequenceStart(const YAML::Mark& mark, const std::string& tag,
                                         YAML::anchor_t anchor, YAML::EmitterStyle::value) {
  progress(false);
  receive({Kind::kSequenceStart, mark, anchor, tag, {}});
}
void YamlEventConverter::OnSequenceEnd() {
  progress(false);
  receive({Kind::kSequenceEnd, YAML::Mark::null_mark(), 0, {}, {}});
}
void YamlEventConverter::OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                                    YAML::EmitterStyle::value) {
  progress(false);
  receive({Kind::kMapStart, mark, anchor, tag, {}});
}
void YamlEventConverter::OnMapEnd() {
  progress(false);
  receive({Kind::kMapEnd, YAML::Mark::null_mark(), 0, {}, {}});
}

void YamlEventConverter::progress(bool lone_null) {
  ++events_;
  lone_null_ = lone_null && events_ == 1;
}

void YamlEventConverter::receive(const EventView& event) {
  if (stopped_) return;
  record(event);
  try {
    feed(event);
  } catch (const ConversionStopped&) {
    stopped_ = true;
  }
}

// Events are logged only while an anchored node is open, each once however many anchors
// enclose it, so the log never outgrows the document's own text.
void YamlEventConverter::record(const EventView& event) {
  const bool anchored = event.anchor != 0 && event.kind != Kind::kAlias;
  if (!anchored && open_recordings_.empty()) return;
  log_.push_back({event.kind, event.mark, event.anchor, std::string(event.tag), std::string(event.value)});
  if (anchored) {
    recordings_[event.anchor] = Recording{log_.size() - 1, std::nullopt, 0};
    open_recordings_.push_back(event.anchor);
  }
  for (auto it = open_recordings_.begin(); it != open_recordings_.end();) {
    Recording& r = recordings_[*it];
    if (starts_collection(event.kind)) ++r.open;
    if (ends_collection(event.kind)) --r.open;
    if (r.open == 0) {
      r.end = log_.size();
      it = open_recordings_.erase(it);
    } else {
      ++it;
    }
  }
}

void YamlEventConverter::feed(const EventView& event) {
  if (skipped(event)) return;
  if (!frames_.empty() && frames_.back().value.is_object() && frames_.back().expecting_key) {
    if (event.kind == Kind::kMapEnd)
      end_collection();
    else
      key_event(frames_.back(), event);
    return;
  }
  if (ends_collection(event.kind))
    end_collection();
  else
    value_event(event);
}

// The value of a duplicate key is neither converted nor counted, as the tree walk never
// visited it; only its position is kept, for redaction.
bool YamlEventConverter::skipped(const EventView& event) {
  if (skip_next_) {
    skip_next_ = false;
    SourceEntry ignored;
    ignored.key = skip_key_at_;
    ignored.value = marks_(event.kind == Kind::kAlias ? anchored_start(event.anchor).mark : event.mark);
    doc_.duplicates.set(skip_pointer_, ignored);
    if (starts_collection(event.kind)) skip_open_ = 1;
    return true;
  }
  if (skip_open_ == 0) return false;
  if (starts_collection(event.kind)) ++skip_open_;
  if (ends_collection(event.kind)) --skip_open_;
  return true;
}

void YamlEventConverter::key_event(Frame& map, const EventView& event) {
  // An alias names its anchor's node, whose mark is the anchor's.
  const EventView key = event.kind == Kind::kAlias ? anchored_start(event.anchor).view() : event;
  const SourceLocation key_at = marks_(key.mark);
  if (key.kind != Kind::kScalar)
    stop(key_at, map.pointer, "spec.complex_key", "mapping keys must be plain text, not a list or mapping");
  std::string name(key.value);
  std::string child = append_pointer(map.pointer, name);
  if (auto [it, inserted] = map.seen.emplace(name, key_at); !inserted) {
    Diagnostic d;
    d.code = "spec.duplicate_key";
    d.location = key_at;
    d.pointer = child;
    const std::string shown = is_within_secret_document_pointer(child) ? "" : " '" + name + "'";
    d.message = "duplicate key" + shown + " (first defined at line " + std::to_string(it->second.line) +
                ", column " + std::to_string(it->second.column) + ")";
    diagnostics_.push_back(std::move(d));
    // Keep the first, as yaml-cpp's own lookups do; remember where the second one is.
    skip_next_ = true;
    skip_pointer_ = std::move(child);
    skip_key_at_ = key_at;
    return;
  }
  map.key = std::move(name);
  map.key_at = key_at;
  map.expecting_key = false;
}

void YamlEventConverter::value_event(const EventView& event) {
  if (event.kind == Kind::kAlias) {
    replay(event.anchor);
    return;
  }
  std::string pointer;
  SourceEntry entry;
  int depth = 0;
  if (!frames_.empty()) {
    const Frame& parent = frames_.back();
    depth = parent.depth + 1;
    if (parent.value.is_object()) {
      pointer = append_pointer(parent.pointer, parent.key);
      entry.key = parent.key_at;
    } else {
      pointer = append_pointer(parent.pointer, parent.next_index);
    }
  } else {
    has_root_ = true;
    root_is_null_ = event.kind == Kind::kNull;
    doc_.start = marks_(event.mark);
  }
  entry.value = marks_(event.mark);
  if (depth > limits_.max_depth)
    // The raw text passed the depth check, so only aliases can get here.
    stop(entry.value, pointer, "spec.depth_limit",
         "aliases nest deeper than " + std::to_string(limits_.max_depth) +
             " levels (an alias inside its own anchor?)");
  switch (event.kind) {
    case Kind::kNull:
      // `key:` with nothing after it: yaml-cpp marks the next token, so point at the key.
      if (entry.key.line > 0 && entry.value.line != entry.key.line) entry.value = entry.key;
      count(entry.value, pointer, 0);
      doc_.map.set(pointer, entry);
      attach(nullptr);
      return;
    case Kind::kScalar:
      count(entry.value, pointer, event.value.size());
      entry.plain = event.tag == "?";
      doc_.map.set(pointer, entry);
      attach(scalar_of(event.tag, event.value));
      return;
    default: {
      count(entry.value, pointer, 0);
      doc_.map.set(pointer, entry);
      Frame frame;
      if (event.kind == Kind::kMapStart)
        frame.value = boost::json::object();
      else
        frame.value = boost::json::array();
      frame.pointer = std::move(pointer);
      frame.depth = depth;
      frames_.push_back(std::move(frame));
    }
  }
}

void YamlEventConverter::end_collection() {
  boost::json::value done = std::move(frames_.back().value);
  frames_.pop_back();
  attach(std::move(done));
}

void YamlEventConverter::attach(boost::json::value value) {
  if (frames_.empty()) {
    doc_.root = std::move(value);
    return;
  }
  Frame& parent = frames_.back();
  if (parent.value.is_object()) {
    parent.value.get_object().emplace(parent.key, std::move(value));
    parent.expecting_key = true;
  } else {
    parent.value.get_array().push_back(std::move(value));
    ++parent.next_index;
  }
}

// An anchor still open at its own alias is replayed as far as it got, and that prefix ends
// in the alias again: the same endless descent as the node graph's cycle, cut by the depth
// limit at the same value.
void YamlEventConverter::replay(YAML::anchor_t anchor) {
  const Recording& r = recordings_.at(anchor);
  const std::size_t begin = r.begin;
  const std::size_t end = r.end.value_or(log_.size());
  for (std::size_t i = begin; i < end; ++i) feed(log_[i].view());
}

const YamlEventConverter::Event& YamlEventConverter::anchored_start(YAML::anchor_t anchor) const {
  return log_[recordings_.at(anchor).begin];
}

void YamlEventConverter::stop(const SourceLocation& at, const std::string& pointer, std::string code,
                              std::string message) {
  Diagnostic d;
  d.code = std::move(code);
  d.location = at;
  d.pointer = pointer;
  d.message = std::move(message);
  diagnostics_.push_back(std::move(d));
  throw ConversionStopped{};
}

void YamlEventConverter::count(const SourceLocation& at, const std::string& pointer,
                               std::size_t string_bytes) {
  ++values_;
  string_bytes_ += string_bytes;
  if (values_ > limits_.max_values || string_bytes_ > limits_.max_string_bytes)
    stop(at, pointer, "spec.alias_limit",
         "the document expands to more than " + std::to_string(limits_.max_values) + " values or " +
             std::to_string(limits_.max_string_bytes >> 20) + " MiB of text (aliases expanding too much?)");
}

}  // namespace provision::spec
