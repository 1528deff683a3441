// The state file's bytes: State <-> versioned JSON with a checksum, so that any
// truncation or damaged byte is refused instead of read as a different state.
#pragma once

#include <boost/json/stream_parser.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "state/cluster_state.hpp"

namespace provision::state {

// Pretty-printed JSON (stable key order, clusters sorted by identity) ending in a
// newline, with "checksum" over the rest of the document.
std::string encode_state(const State& state);

// One cluster record encoded on its own, so that a save re-encodes only the records
// that changed: its text as it appears in the file, and its compact form (for the checksum).
struct EncodedRecord {
  std::string pretty;
  std::string compact;
};
EncodedRecord encode_record(const ClusterRecord& record);

// One record from its JSON object (the object's "appliedBody" is moved out). Throws
// Error(kState) naming `where` when it is not exactly a record.
ClusterRecord decode_record(boost::json::value& value, const std::string& where);

// Immutable once made, so saves on another thread can share them.
using EncodedRecords = std::vector<std::shared_ptr<const EncodedRecord>>;

// The same text as encode_state, from `header`'s formatVersion, serial and lineage and
// the records already encoded, in identity order (`header.clusters` is not read).
std::string encode_state(const State& header, const EncodedRecords& records);

// The state in `text`. Throws Error(kState) saying what is wrong (bad JSON, a
// newer formatVersion, a schema violation, a checksum mismatch); the message does
// not name the file, the caller adds that.
State decode_state(std::string_view text);

// decode_state over text given in pieces (a file read in chunks), so that the whole
// text is never held next to the parsed document.
class StateDecoder {
 public:
  // The next piece. Never throws: the first JSON error is kept for finish().
  void write(std::string_view chunk);
  // The state of all the pieces; throws as decode_state does.
  State finish();

 private:
  boost::json::stream_parser parser_;
  boost::system::error_code error_;
};

}  // namespace provision::state
