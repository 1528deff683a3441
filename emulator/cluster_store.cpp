// clusters.json: {"version":1,"clusters":[<record>...]}. clusters.journal: one JSON line per
// change since that snapshot, {"put":<record>} or {"erase":"<cluster id>"}, replayed in order.
#include "emulator/cluster_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cerrno>

#include "core/error.hpp"
#include "emulator/atomic_file.hpp"

namespace provision::emulator {
namespace {

namespace json = boost::json;
constexpr std::int64_t kFormatVersion = 1;

[[noreturn]] void damaged(const std::filesystem::path& file, const std::string& why) {
  throw Error(ErrorKind::kState, "cluster store " + file.string() + ": " + why);
}

[[noreturn]] void io_failed(const std::string& what, const std::filesystem::path& file, int err) {
  throw Error(ErrorKind::kState,
              "cluster store " + what + " " + file.string() + ": " + posix::errno_message(err));
}

bool transitioning(const ClusterRecord& r) {
  return r.state == ClusterState::kStarting || r.state == ClusterState::kStopping;
}

std::filesystem::path journal_beside(const std::filesystem::path& file) {
  if (file.empty()) return {};
  std::filesystem::path journal = file;
  journal.replace_extension(".journal");
  return journal;
}

}  // namespace

ClusterStore::ClusterStore(std::filesystem::path file, std::uint64_t min_journal_bytes)
    : file_(std::move(file)), journal_(journal_beside(file_)), min_journal_bytes_(min_journal_bytes) {}

void ClusterStore::load() {
  if (file_.empty()) return;
  clusters_.clear();
  transitions_.clear();
  dirty_.clear();
  next_sequence_ = 1;
  journal_bytes_ = 0;
  torn_tail_ = false;
  auto put = [this](json::value const& item, const std::filesystem::path& file, const std::string& where) {
    auto record = record_from_json(item);
    if (!record) damaged(file, where + " is damaged");
    next_sequence_ = std::max(next_sequence_, record->sequence + 1);
    std::string id = record->cluster_id;
    index_transition(clusters_.insert_or_assign(std::move(id), std::move(*record)).first->second);
  };
  if (auto text = read_file_if_exists(file_)) {
    snapshot_bytes_ = text->size();
    boost::system::error_code ec;
    json::value doc = json::parse(*text, ec);
    if (ec) damaged(file_, "not valid JSON (" + ec.message() + ")");
    const json::object* root = doc.if_object();
    const json::value* version = root ? root->if_contains("version") : nullptr;
    if (!version || !version->is_int64()) damaged(file_, "no format version");
    if (version->get_int64() != kFormatVersion)
      damaged(file_,
              "format version " + std::to_string(version->get_int64()) + " is not supported (expected 1)");
    const json::value* clusters = root->if_contains("clusters");
    if (!clusters || !clusters->is_array()) damaged(file_, "no \"clusters\" array");
    std::size_t index = 0;
    for (const json::value& item : clusters->get_array())
      put(item, file_, "cluster #" + std::to_string(index++));
  }
  auto journal = read_file_if_exists(journal_);
  if (!journal) return;
  journal_bytes_ = journal->size();
  std::size_t line_number = 0;
  for (std::size_t start = 0; start < journal->size();) {
    const std::size_t end = journal->find('\n', start);
    if (end == std::string::npos) {  // torn last line: its change was never answered
      torn_tail_ = true;
      journal_bytes_ = start;
      break;
    }
    ++line_number;
    const std::string where = "line " + std::to_string(line_number);
    boost::system::error_code ec;
    json::value entry = json::parse(std::string_view(*journal).substr(start, end - start), ec);
    const json::object* o = ec ? nullptr : entry.if_object();
    if (!o) damaged(journal_, where + " is not a JSON object");
    if (const json::value* record = o->if_contains("put")) {
      put(*record, journal_, where);
    } else if (const json::value* id = o->if_contains("erase"); id && id->is_string()) {
      clusters_.erase(std::string(id->get_string()));
    } else {
      damaged(journal_, where + " is neither a put nor an erase");
    }
    start = end + 1;
  }
}

void ClusterStore::commit() {
  if (file_.empty()) {
    dirty_.clear();
    return;
  }
  if (dirty_.empty()) return;
  if (journal_bytes_ > std::max(min_journal_bytes_, snapshot_bytes_)) {
    compact();
    return;
  }
  std::string lines;
  for (const std::string& id : dirty_) {
    json::object entry;
    auto it = clusters_.find(id);
    if (it == clusters_.end())
      entry["erase"] = id;
    else
      entry["put"] = record_to_json(it->second);
    lines += json::serialize(entry);
    lines += '\n';
  }
  append_to_journal(lines);
  dirty_.clear();
}

void ClusterStore::append_to_journal(const std::string& lines) {
  if (!journal_fd_) {
    journal_fd_.reset(::open(journal_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
    if (!journal_fd_) io_failed("cannot open", journal_, posix::last_errno());
    // A torn line left by a crash would glue onto the next append: cut the file back to its
    // last complete line (load() found it). Then make the file's existence durable.
    if (torn_tail_ && ::ftruncate(journal_fd_.get(), static_cast<off_t>(journal_bytes_)) != 0) {
      const int err = posix::last_errno();
      journal_fd_.reset();
      io_failed("cannot truncate", journal_, err);
    }
    torn_tail_ = false;
    const off_t size = ::lseek(journal_fd_.get(), 0, SEEK_END);
    if (size < 0) {
      const int err = posix::last_errno();
      journal_fd_.reset();
      io_failed("cannot seek in", journal_, err);
    }
    journal_bytes_ = static_cast<std::uint64_t>(size);
    fsync_directory(journal_.parent_path().empty() ? "." : journal_.parent_path());
  }
  // On failure, drop the partial lines so the next append starts on a line boundary.
  auto undo = [this](const char* what) {
    const int err = posix::last_errno();
    if (::ftruncate(journal_fd_.get(), static_cast<off_t>(journal_bytes_)) != 0) journal_fd_.reset();
    io_failed(what, journal_, err);
  };
  if (posix::write_all(journal_fd_.get(), lines) != 0) undo("cannot append to");
  if (::fdatasync(journal_fd_.get()) != 0) undo("cannot fdatasync");
  journal_bytes_ += lines.size();
}

void ClusterStore::compact() {
  dirty_.clear();
  if (file_.empty()) return;
  std::string text = R"({"version":1,"clusters":[)";
  bool first = true;
  for (const auto& [id, record] : clusters_) {
    if (!first) text += ',';
    first = false;
    text += json::serialize(record_to_json(record));
  }
  text += "]}\n";
  write_file_atomically(file_, text, 0644);
  snapshot_bytes_ = text.size();
  // The snapshot holds every change now; replaying the journal over it again would be
  // harmless (puts and erases are idempotent), so a crash before this unlink loses nothing.
  journal_fd_.reset();
  if (::unlink(journal_.c_str()) != 0 && errno != ENOENT)
    io_failed("cannot remove", journal_, posix::last_errno());
  fsync_directory(journal_.parent_path().empty() ? "." : journal_.parent_path());
  journal_bytes_ = 0;
}

ClusterRecord* ClusterStore::find(const std::string& workspace_id, const std::string& cluster_id) {
  auto it = clusters_.find(cluster_id);
  if (it == clusters_.end() || it->second.workspace_id != workspace_id) return nullptr;
  return &it->second;
}

std::vector<const ClusterRecord*> ClusterStore::list(const std::string& workspace_id) const {
  std::vector<const ClusterRecord*> out;
  for (const auto& [id, record] : clusters_)
    if (record.workspace_id == workspace_id) out.push_back(&record);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->sequence < b->sequence; });
  return out;
}

ClusterRecord& ClusterStore::insert(ClusterRecord record) {
  record.sequence = next_sequence_++;
  std::string id = record.cluster_id;
  dirty_.insert(id);
  ClusterRecord& stored = clusters_.insert_or_assign(std::move(id), std::move(record)).first->second;
  index_transition(stored);
  return stored;
}

void ClusterStore::erase(std::string cluster_id) {
  // A copy: callers pass the erased record's own id.
  clusters_.erase(cluster_id);
  dirty_.insert(std::move(cluster_id));
}

void ClusterStore::touch(const std::string& cluster_id) {
  auto it = clusters_.find(cluster_id);
  dirty_.insert(cluster_id);
  if (it != clusters_.end()) index_transition(it->second);
}

void ClusterStore::index_transition(const ClusterRecord& record) {
  if (transitioning(record)) transitions_.emplace(record.transition_due_ms, record.cluster_id);
}

bool ClusterStore::settle(std::int64_t now_ms) {
  bool changed = false;
  while (!transitions_.empty() && transitions_.begin()->first <= now_ms) {
    auto [due, id] = *transitions_.begin();
    transitions_.erase(transitions_.begin());
    auto it = clusters_.find(id);
    // Stale entries: the cluster is gone, or a later transition replaced this one.
    if (it == clusters_.end() || it->second.transition_due_ms != due) continue;
    ClusterRecord& r = it->second;
    if (r.state == ClusterState::kStarting) {
      r.state = ClusterState::kRunning;
    } else if (r.state == ClusterState::kStopping) {
      r.state = ClusterState::kStopped;
    } else {
      continue;
    }
    dirty_.insert(id);
    changed = true;
  }
  return changed;
}

}  // namespace provision::emulator
