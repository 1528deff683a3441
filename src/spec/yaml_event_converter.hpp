// yaml-cpp parser events -> Boost.JSON documents and their source maps, one document at a
// time and with no YAML::Node tree. Anchored events are kept once, in a per-document log, and
// replayed at each alias, so aliases expand exactly as a walk of yaml-cpp's node graph would
// (same order, same marks, same limits), and an alias inside its own anchor nests until the
// depth limit stops it.
#pragma once

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/diagnostic.hpp"
#include "spec/source_text.hpp"
#include "spec/yaml_document.hpp"

namespace provision::spec {

// yaml-cpp marks count bytes from 0; diagnostics count characters from 1.
class MarkConverter {
 public:
  MarkConverter(std::string_view text, const std::string& file) : lines_(text), file_(file) {}
  SourceLocation operator()(const YAML::Mark& mark) const;

 private:
  LineIndex lines_;
  const std::string& file_;
};

class YamlEventConverter final : public YAML::EventHandler {
 public:
  YamlEventConverter(const MarkConverter& marks, const SourceLimits& limits)
      : marks_(marks), limits_(limits) {}

  // The documents converted so far (lone-null and empty ones are skipped) and the problems
  // found while converting them.
  std::vector<YamlDocument>& documents() { return documents_; }
  Diagnostics& diagnostics() { return diagnostics_; }
  // yaml-cpp 0.7 restarts a document at a stray flow token without consuming it
  // (jbeder/yaml-cpp#1040): true once a lone-null document started where the last one did.
  bool stuck() const { return stuck_; }
  const YAML::Mark& document_mark() const { return document_mark_; }

  void OnDocumentStart(const YAML::Mark& mark) override;
  void OnDocumentEnd() override;
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override;
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override;
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override;
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override;
  void OnSequenceEnd() override;
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override;
  void OnMapEnd() override;

  enum class Kind { kNull, kAlias, kScalar, kSequenceStart, kSequenceEnd, kMapStart, kMapEnd };
  // One event as the parser gave it; the strings are the parser's or the log's.
  struct EventView {
    Kind kind;
    YAML::Mark mark;
    YAML::anchor_t anchor = 0;  // for an alias: the anchor it refers to
    std::string_view tag;
    std::string_view value;
  };
  // An event kept in the log, owning its text.
  struct Event {
    Kind kind;
    YAML::Mark mark;
    YAML::anchor_t anchor = 0;
    std::string tag;
    std::string value;
    EventView view() const { return {kind, mark, anchor, tag, value}; }
  };

 private:
  // One collection being built.
  struct Frame {
    boost::json::value value;
    std::string pointer;
    int depth = 0;
    std::size_t next_index = 0;  // sequences
    bool expecting_key = true;   // mappings
    std::string key;
    SourceLocation key_at;
    std::unordered_map<std::string, SourceLocation> seen;
  };
  // Where an anchored node's events sit in the log; end is unset while it is still open.
  struct Recording {
    std::size_t begin = 0;
    std::optional<std::size_t> end;
    int open = 0;
  };

  void receive(const EventView& event);
  void record(const EventView& event);
  void feed(const EventView& event);
  bool skipped(const EventView& event);
  void key_event(Frame& map, const EventView& event);
  void value_event(const EventView& event);
  void end_collection();
  void attach(boost::json::value value);
  void replay(YAML::anchor_t anchor);
  const Event& anchored_start(YAML::anchor_t anchor) const;
  [[noreturn]] void stop(const SourceLocation& at, const std::string& pointer, std::string code,
                         std::string message);
  void count(const SourceLocation& at, const std::string& pointer, std::size_t string_bytes);
  void progress(bool lone_null);

  const MarkConverter& marks_;
  const SourceLimits& limits_;
  std::vector<YamlDocument> documents_;
  Diagnostics diagnostics_;

  // The document being converted.
  YamlDocument doc_;
  bool has_root_ = false;
  bool root_is_null_ = false;
  bool stopped_ = false;
  std::vector<Frame> frames_;
  std::size_t values_ = 0;
  std::size_t string_bytes_ = 0;
  bool skip_next_ = false;  // the value of a duplicate key comes next: not converted
  int skip_open_ = 0;       // collections open inside a skipped value
  std::string skip_pointer_;
  SourceLocation skip_key_at_;
  std::vector<Event> log_;
  std::unordered_map<YAML::anchor_t, Recording> recordings_;
  std::vector<YAML::anchor_t> open_recordings_;

  // Progress of the parser across documents (see stuck()).
  bool started_ = false;
  bool stuck_ = false;
  bool lone_null_ = false;
  std::size_t events_ = 0;
  YAML::Mark document_mark_ = YAML::Mark::null_mark();
};

}  // namespace provision::spec
