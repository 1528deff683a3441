// Encoding and strict decoding of the state document (doc/state-format.md).
#include "state/state_codec.hpp"

#include <boost/json.hpp>
#include <cstdio>
#include <set>

#include "core/error.hpp"
#include "state/crc32.hpp"

namespace provision::state {
namespace json = boost::json;
namespace {

[[noreturn]] void fail(const std::string& message) { throw Error(ErrorKind::kState, message); }

// "crc32:xxxxxxxx".
std::string crc_text(const Crc32& crc) {
  char text[16];
  std::snprintf(text, sizeof text, "%08x", static_cast<unsigned>(crc.value()));
  return std::string("crc32:") + text;
}

// The checksum over the compact serialisation of the document without its checksum,
// serialised piece by piece instead of into one string as large as the file.
std::string checksum_of(const json::object& document) {
  json::serializer serializer;
  serializer.reset(&document);
  char buffer[16384];
  Crc32 crc;
  while (!serializer.done()) crc.update(serializer.read(buffer, sizeof buffer));
  return crc_text(crc);
}

// Writes the pretty-printed file text and, in the same pass, the compact
// serialisation (no spaces) that the checksum is defined over.
class Encoder {
 public:
  // A JSON token (scalar text, punctuation): the same in both forms.
  void token(std::string_view text) {
    out_ += text;
    compact_ += text;
  }
  // Indentation: only in the pretty form.
  void newline(int indent) {
    out_ += '\n';
    out_.append(static_cast<std::size_t>(indent), ' ');
  }
  void string(std::string_view s) { token(json::serialize(json::string_view(s.data(), s.size()))); }
  // `"key": ` on a new line at `indent`, after a comma unless it is the first member.
  void key(std::string_view k, int indent, bool first) {
    if (!first) token(",");
    newline(indent);
    string(k);
    token(":");
    out_ += ' ';
  }
  void object(const json::object& o, int indent) {
    if (o.empty()) return token("{}");
    token("{");
    bool first = true;
    for (const auto& member : o) {
      key(member.key(), indent + 2, first);
      first = false;
      value(member.value(), indent + 2);
    }
    newline(indent);
    token("}");
  }
  void array(const json::array& a, int indent) {
    if (a.empty()) return token("[]");
    token("[");
    bool first = true;
    for (const auto& item : a) {
      if (!first) token(",");
      first = false;
      newline(indent + 2);
      value(item, indent + 2);
    }
    newline(indent);
    token("]");
  }
  void value(const json::value& v, int indent) {
    if (v.is_object())
      object(v.get_object(), indent);
    else if (v.is_array())
      array(v.get_array(), indent);
    else
      token(json::serialize(v));
  }
  std::string& out() { return out_; }
  std::string& compact() { return compact_; }

 private:
  std::string out_;
  std::string compact_;
};

// One record as an object at `indent`, members in the order of doc/state-format.md.
void encode_record(Encoder& e, const ClusterRecord& r, int indent) {
  const std::pair<const char*, const std::string*> before[] = {{"regionId", &r.identity.region_id},
                                                               {"workspaceId", &r.identity.workspace_id},
                                                               {"name", &r.identity.name},
                                                               {"clusterId", &r.cluster_id},
                                                               {"bodySha256", &r.body_sha256}};
  e.token("{");
  bool first = true;
  for (const auto& [key, text] : before) {
    e.key(key, indent + 2, first);
    first = false;
    e.string(*text);
  }
  e.key("appliedBody", indent + 2, false);
  e.object(r.applied_body, indent + 2);
  const std::string phase = phase_name(r.phase);
  const std::pair<const char*, const std::string*> after[] = {{"phase", &phase},
                                                              {"specFile", &r.spec_file},
                                                              {"createdAt", &r.created_at},
                                                              {"updatedAt", &r.updated_at}};
  for (const auto& [key, text] : after) {
    e.key(key, indent + 2, false);
    e.string(*text);
  }
  e.newline(indent);
  e.token("}");
}

// Checks that `object` has exactly `keys` (each present once, nothing else).
void expect_keys(const json::object& object, std::initializer_list<const char*> keys,
                 const std::string& where) {
  for (const char* key : keys)
    if (!object.contains(key)) fail(where + ": missing \"" + key + "\"");
  if (object.size() != keys.size()) {
    std::set<std::string> known(keys.begin(), keys.end());
    for (const auto& member : object)
      if (!known.count(std::string(member.key())))
        fail(where + ": unexpected \"" + std::string(member.key()) + "\"");
    fail(where + ": repeated keys");
  }
}

std::string string_at(const json::object& object, const char* key, const std::string& where,
                      bool allow_empty) {
  const json::value& v = object.at(key);
  if (!v.is_string()) fail(where + ": \"" + key + "\" must be a string");
  std::string s(v.get_string());
  if (!allow_empty && s.empty()) fail(where + ": \"" + key + "\" must not be empty");
  return s;
}

bool is_hex(const std::string& s) { return s.find_first_not_of("0123456789abcdef") == std::string::npos; }

}  // namespace

// Takes the applied body out of `v` (moved, not copied: both use the default storage).
ClusterRecord decode_record(json::value& v, const std::string& where) {
  if (!v.is_object()) fail(where + ": must be an object");
  json::object& o = v.get_object();
  expect_keys(o,
              {"regionId", "workspaceId", "name", "clusterId", "bodySha256", "appliedBody", "phase",
               "specFile", "createdAt", "updatedAt"},
              where);
  ClusterRecord r;
  r.identity.region_id = string_at(o, "regionId", where, false);
  r.identity.workspace_id = string_at(o, "workspaceId", where, false);
  r.identity.name = string_at(o, "name", where, false);
  r.cluster_id = string_at(o, "clusterId", where, true);
  r.body_sha256 = string_at(o, "bodySha256", where, true);
  if (!r.body_sha256.empty() && (r.body_sha256.size() != 64 || !is_hex(r.body_sha256)))
    fail(where + ": \"bodySha256\" must be 64 lowercase hex digits or empty");
  json::value& applied = o.at("appliedBody");
  if (!applied.is_object()) fail(where + ": \"appliedBody\" must be an object");
  r.applied_body = std::move(applied.get_object());
  const std::string phase = string_at(o, "phase", where, false);
  auto parsed = parse_phase(phase);
  if (!parsed) fail(where + ": unknown phase \"" + phase + "\"");
  r.phase = *parsed;
  if (r.phase != Phase::kPendingCreate && r.cluster_id.empty())
    fail(where + ": phase \"" + phase + "\" needs a clusterId");
  r.spec_file = string_at(o, "specFile", where, true);
  r.created_at = string_at(o, "createdAt", where, false);
  r.updated_at = string_at(o, "updatedAt", where, false);
  return r;
}

namespace {

std::uint64_t unsigned_at(const json::object& o, const char* key) {
  const json::value& v = o.at(key);
  if (v.is_uint64()) return v.get_uint64();
  if (v.is_int64() && v.get_int64() >= 0) return static_cast<std::uint64_t>(v.get_int64());
  fail(std::string("\"") + key + "\" must be a whole number ≥ 0");
}

}  // namespace

EncodedRecord encode_record(const ClusterRecord& record) {
  Encoder e;
  encode_record(e, record, 4);
  return {std::move(e.out()), std::move(e.compact())};
}

std::string encode_state(const State& header, const EncodedRecords& records) {
  // The pretty text is assembled while the CRC runs over the compact form of the same
  // document without "checksum"; the checksum member then closes the object.
  std::string out;
  Crc32 crc;
  auto token = [&](std::string_view text) {
    out += text;
    crc.update(text);
  };
  std::size_t size = 256;
  for (const auto& r : records) size += r->pretty.size() + 8;
  out.reserve(size);
  Encoder e;
  e.token("{");
  e.key("formatVersion", 2, true);
  e.token(std::to_string(header.format_version));
  e.key("serial", 2, false);
  e.token(std::to_string(header.serial));
  e.key("lineage", 2, false);
  e.string(header.lineage);
  e.key("clusters", 2, false);
  out += e.out();
  crc.update(e.compact());
  if (records.empty()) {
    token("[]");
  } else {
    token("[");
    bool first = true;
    for (const auto& r : records) {
      if (!first) token(",");
      first = false;
      out += "\n    ";
      out += r->pretty;
      crc.update(r->compact);
    }
    out += "\n  ";
    token("]");
  }
  crc.update("}");  // ends the checksummed compact form; the text goes on
  out += ",\n  \"checksum\": \"" + crc_text(crc) + "\"\n}\n";
  return out;
}

std::string encode_state(const State& state) {
  EncodedRecords records;
  records.reserve(state.clusters.size());
  for (const auto& [identity, record] : state.clusters)
    records.push_back(std::make_shared<const EncodedRecord>(encode_record(record)));
  return encode_state(state, records);
}

State decode_state(std::string_view text) {
  StateDecoder decoder;
  decoder.write(text);
  return decoder.finish();
}

void StateDecoder::write(std::string_view chunk) {
  if (!error_) parser_.write(chunk.data(), chunk.size(), error_);
}

State StateDecoder::finish() {
  if (!error_) parser_.finish(error_);
  if (error_) fail("not valid JSON (" + error_.message() + ")");
  json::value root = parser_.release();
  if (!root.is_object()) fail("the document must be a JSON object");
  json::object& document = root.get_object();
  // The version is read first: a newer format may change everything else.
  const json::value* version = document.if_contains("formatVersion");
  if (!version || !version->is_int64()) fail("missing or non-integer \"formatVersion\"");
  if (version->get_int64() > kFormatVersion)
    fail("it has format version " + std::to_string(version->get_int64()) +
         ", newer than this provision reads (" + std::to_string(kFormatVersion) + "); use a newer provision");
  if (version->get_int64() < 1) fail("invalid \"formatVersion\" " + std::to_string(version->get_int64()));
  expect_keys(document, {"formatVersion", "serial", "lineage", "clusters", "checksum"}, "document");
  const json::value& checksum = document.at("checksum");
  if (!checksum.is_string()) fail("\"checksum\" must be a string");
  const std::string stored(checksum.get_string());
  document.erase("checksum");
  if (checksum_of(document) != stored) fail("checksum mismatch (the file was damaged or edited by hand)");

  State state;
  state.format_version = static_cast<int>(version->get_int64());
  state.serial = unsigned_at(document, "serial");
  state.lineage = string_at(document, "lineage", "document", false);
  json::value& clusters = document.at("clusters");
  if (!clusters.is_array()) fail("\"clusters\" must be an array");
  std::size_t index = 0;
  for (auto& item : clusters.get_array()) {
    ClusterRecord record = decode_record(item, "clusters[" + std::to_string(index++) + "]");
    item = nullptr;  // the rest of the parsed record is no longer needed
    if (state.clusters.count(record.identity))
      fail("cluster " + describe(record.identity) + " appears twice");
    state.clusters.emplace(record.identity, std::move(record));
  }
  return state;
}

}  // namespace provision::state
