// Journal lines: the checksum is the CRC-32 of the line's compact JSON without its
// "checksum" member, which always ends the line, so a reader checks the exact bytes.
#include "state/journal_codec.hpp"

#include <boost/json.hpp>
#include <cstdio>

#include "core/error.hpp"
#include "state/crc32.hpp"

namespace provision::state {
namespace json = boost::json;
namespace {

// ,"checksum":"crc32:xxxxxxxx"}  (30 bytes) ends every line before its newline.
constexpr std::string_view kChecksumKey = ",\"checksum\":\"crc32:";
constexpr std::size_t kTrailerSize = kChecksumKey.size() + 8 + 2;

[[noreturn]] void fail(const std::string& message) { throw Error(ErrorKind::kState, message); }

std::string crc_hex(std::string_view bytes) {
  Crc32 crc;
  crc.update(bytes);
  char text[16];
  std::snprintf(text, sizeof text, "%08x", static_cast<unsigned>(crc.value()));
  return text;
}

std::string identity_json(const ClusterIdentity& id) {
  json::object o{{"regionId", id.region_id}, {"workspaceId", id.workspace_id}, {"name", id.name}};
  return json::serialize(o);
}

ClusterIdentity identity_from(const json::value& v, const std::string& where) {
  const json::object* o = v.if_object();
  auto text = [&](const char* key) {
    const json::value* member = o ? o->if_contains(key) : nullptr;
    if (!member || !member->is_string() || member->get_string().empty())
      fail(where + ": \"remove\" needs a non-empty \"" + key + "\"");
    return std::string(member->get_string());
  };
  if (!o || o->size() != 3) fail(where + ": \"remove\" must hold exactly regionId, workspaceId and name");
  return {text("regionId"), text("workspaceId"), text("name")};
}

JournalBatch::Change change_from(json::value& v, const std::string& where) {
  json::object* o = v.if_object();
  if (!o || o->size() != 1) fail(where + ": a change must be {\"put\": record} or {\"remove\": identity}");
  if (json::value* put = o->if_contains("put")) {
    ClusterRecord record = decode_record(*put, where + ".put");
    ClusterIdentity id = record.identity;
    return {std::move(id), std::move(record)};
  }
  if (json::value* removed = o->if_contains("remove")) return {identity_from(*removed, where), std::nullopt};
  fail(where + ": a change must be {\"put\": record} or {\"remove\": identity}");
}

// One complete line (without its newline) as a batch, or why it is not one.
JournalBatch decode_line(std::string_view line, const std::string& where) {
  if (line.size() < kTrailerSize + 2 ||
      line.substr(line.size() - kTrailerSize, kChecksumKey.size()) != kChecksumKey ||
      line.substr(line.size() - 2) != "\"}")
    fail(where + ": not a journal batch");
  const std::string_view stored = line.substr(line.size() - 10, 8);
  std::string body(line.substr(0, line.size() - kTrailerSize));
  body += '}';
  if (crc_hex(body) != stored) fail(where + ": checksum mismatch (the journal was damaged or edited)");
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec || !doc.is_object()) fail(where + ": not valid JSON");
  json::object& o = doc.get_object();
  const json::value* serial = o.if_contains("serial");
  const json::value* lineage = o.if_contains("lineage");
  json::value* changes = o.if_contains("changes");
  if (o.size() != 3 || !serial || !lineage || !changes || !lineage->is_string() || !changes->is_array() ||
      !(serial->is_uint64() || (serial->is_int64() && serial->get_int64() > 0)))
    fail(where + ": a batch holds exactly serial, lineage and changes");
  JournalBatch batch;
  batch.serial = serial->is_uint64() ? serial->get_uint64() : static_cast<std::uint64_t>(serial->get_int64());
  batch.lineage = std::string(lineage->get_string());
  std::size_t index = 0;
  for (auto& item : changes->get_array())
    batch.changes.push_back(change_from(item, where + " change " + std::to_string(index++)));
  return batch;
}

}  // namespace

std::string encode_batch(std::uint64_t serial, const std::string& lineage, const ChangeBatch& changes) {
  std::string line = "{\"serial\":" + std::to_string(serial) +
                     ",\"lineage\":" + json::serialize(json::string(lineage)) + ",\"changes\":[";
  bool first = true;
  for (const auto& c : changes) {
    if (!first) line += ',';
    first = false;
    if (c.record) {
      line += "{\"put\":";
      line += c.record->compact;
    } else {
      line += "{\"remove\":";
      line += identity_json(c.identity);
    }
    line += '}';
  }
  line += "]}";
  const std::string crc = crc_hex(line);
  line.pop_back();
  line += kChecksumKey;
  line += crc;
  line += "\"}\n";
  return line;
}

JournalScan scan_journal(std::string_view text, const std::function<void(JournalBatch&&)>& each) {
  JournalScan scan;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = text.find('\n', at);
    const std::string where =
        "batch " + std::to_string(scan.batches + 1) + " (byte " + std::to_string(at) + ")";
    if (end == std::string_view::npos) {
      // No newline: an append cut short, unless the batch is whole and only its newline was
      // damaged, which no crash produces.
      const std::string_view tail = text.substr(at);
      bool whole = false;
      try {
        decode_line(tail.substr(0, tail.size() - 1), where);
        whole = true;
      } catch (const Error&) {
      }
      if (whole) fail(where + ": the end of the last batch is damaged");
      scan.torn_bytes = tail.size();
      return scan;
    }
    each(decode_line(text.substr(at, end - at), where));
    ++scan.batches;
    at = end + 1;
    scan.valid_bytes = at;
  }
  return scan;
}

}  // namespace provision::state
