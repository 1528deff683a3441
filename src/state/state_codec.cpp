// Encoding and strict decoding of the state document (doc/state-format.md).
#include "state/state_codec.hpp"

#include <boost/crc.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <set>

#include "core/error.hpp"

namespace provision::state {
namespace json = boost::json;
namespace {

[[noreturn]] void fail(const std::string& message) { throw Error(ErrorKind::kState, message); }

// "crc32:xxxxxxxx" over the compact serialisation of the document without its checksum.
std::string checksum_of(const json::object& document) {
  const std::string compact = json::serialize(document);
  boost::crc_32_type crc;
  crc.process_bytes(compact.data(), compact.size());
  char text[16];
  std::snprintf(text, sizeof text, "%08x", static_cast<unsigned>(crc.checksum()));
  return std::string("crc32:") + text;
}

void pretty(const json::value& v, std::string& out, int indent) {
  const std::string pad(static_cast<std::size_t>(indent + 2), ' ');
  if (v.is_object() && !v.get_object().empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& member : v.get_object()) {
      if (!first) out += ",\n";
      first = false;
      out += pad + json::serialize(json::value(member.key())) + ": ";
      pretty(member.value(), out, indent + 2);
    }
    out += "\n" + std::string(static_cast<std::size_t>(indent), ' ') + "}";
  } else if (v.is_array() && !v.get_array().empty()) {
    out += "[\n";
    bool first = true;
    for (const auto& item : v.get_array()) {
      if (!first) out += ",\n";
      first = false;
      out += pad;
      pretty(item, out, indent + 2);
    }
    out += "\n" + std::string(static_cast<std::size_t>(indent), ' ') + "]";
  } else {
    out += json::serialize(v);
  }
}

json::object encode_record(const ClusterRecord& r) {
  return {
      {"regionId", r.identity.region_id}, {"workspaceId", r.identity.workspace_id},
      {"name", r.identity.name},          {"clusterId", r.cluster_id},
      {"bodySha256", r.body_sha256},      {"appliedBody", r.applied_body},
      {"phase", phase_name(r.phase)},     {"specFile", r.spec_file},
      {"createdAt", r.created_at},        {"updatedAt", r.updated_at},
  };
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

ClusterRecord decode_record(const json::value& v, const std::string& where) {
  if (!v.is_object()) fail(where + ": must be an object");
  const json::object& o = v.get_object();
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
  const json::value& applied = o.at("appliedBody");
  if (!applied.is_object()) fail(where + ": \"appliedBody\" must be an object");
  r.applied_body = applied.get_object();
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

json::object parse_document(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) fail("not valid JSON (" + ec.message() + ")");
  if (!v.is_object()) fail("the document must be a JSON object");
  return std::move(v.get_object());
}

std::uint64_t unsigned_at(const json::object& o, const char* key) {
  const json::value& v = o.at(key);
  if (v.is_uint64()) return v.get_uint64();
  if (v.is_int64() && v.get_int64() >= 0) return static_cast<std::uint64_t>(v.get_int64());
  fail(std::string("\"") + key + "\" must be a whole number ≥ 0");
}

}  // namespace

std::string encode_state(const State& state) {
  json::array clusters;
  for (const auto& [identity, record] : state.clusters) clusters.push_back(encode_record(record));
  json::object document{
      {"formatVersion", state.format_version},
      {"serial", state.serial},
      {"lineage", state.lineage},
      {"clusters", std::move(clusters)},
  };
  document["checksum"] = checksum_of(document);
  std::string out;
  pretty(document, out, 0);
  return out + "\n";
}

State decode_state(std::string_view text) {
  json::object document = parse_document(text);
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
  const json::value& clusters = document.at("clusters");
  if (!clusters.is_array()) fail("\"clusters\" must be an array");
  std::size_t index = 0;
  for (const auto& item : clusters.get_array()) {
    ClusterRecord record = decode_record(item, "clusters[" + std::to_string(index++) + "]");
    if (state.clusters.count(record.identity))
      fail("cluster " + describe(record.identity) + " appears twice");
    state.clusters.emplace(record.identity, std::move(record));
  }
  return state;
}

}  // namespace provision::state
