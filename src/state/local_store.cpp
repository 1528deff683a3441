// The snapshot + journal store. Readers take no lock, so a read must see one whole
// version while a writer appends or compacts: the journal is read before the snapshot,
// and a compaction renames the new snapshot into place before it removes the journal.
// An old journal then only holds batches the new snapshot already has (skipped by serial).
#include "state/local_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <map>

#include "core/error.hpp"
#include "state/journal_codec.hpp"
#include "state/state_lock.hpp"

namespace provision::state {
namespace fs = std::filesystem;
namespace {

// A state file is small; anything bigger is not ours.
constexpr std::size_t kMaxStateBytes = std::size_t{64} << 20;
constexpr std::size_t kMaxJournalBytes = std::size_t{256} << 20;

std::string lineage_from(Random& random) {
  std::string hex = random.hex_nonce();  // 32 hex digits, shown as a UUID
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20, 12);
}

fs::path with_suffix(const fs::path& path, const char* suffix) {
  fs::path p = path;
  p += suffix;
  return p;
}

class FlockStoreLock final : public StoreLock {
 public:
  FlockStoreLock(const fs::path& path, const std::string& command, const Clock& clock,
                 std::chrono::milliseconds timeout)
      : lock_(path, command, clock, timeout) {}

 private:
  StateLock lock_;
};

}  // namespace

State empty_state(Random& random) {
  State state;
  state.lineage = lineage_from(random);
  return state;
}

LocalStore::LocalStore(fs::path path, StoreWarning warn) : path_(std::move(path)), warn_(std::move(warn)) {}

fs::path LocalStore::journal_path() const { return with_suffix(path_, ".journal"); }
fs::path LocalStore::backup_path() const { return with_suffix(path_, ".backup"); }
fs::path LocalStore::lock_path() const { return with_suffix(path_, ".lock"); }

StoreIdentity LocalStore::identity() const { return {"local", path_.string(), "default"}; }

std::unique_ptr<StoreLock> LocalStore::lock(const std::string& command, const Clock& clock,
                                            std::chrono::milliseconds timeout) {
  return std::make_unique<FlockStoreLock>(lock_path(), command, clock, timeout);
}

LocalStore::Read LocalStore::read(const std::string& lineage) const {
  Read r;
  // The journal first (see the top of this file).
  FileStamp journal_stamp;
  std::optional<std::string> journal = read_file_if_exists(journal_path(), kMaxJournalBytes, &journal_stamp);
  if (journal) r.known.journal = journal_stamp;
  FileStamp snapshot_stamp;
  StateDecoder decoder;
  const bool exists = read_file_chunks(path_, kMaxStateBytes, &snapshot_stamp,
                                       [&](std::string_view chunk) { decoder.write(chunk); });
  if (!exists) {
    if (journal && !journal->empty())
      throw Error(ErrorKind::kState, "state journal '" + journal_path().string() + "' has no snapshot '" +
                                         path_.string() + "' before it; the files were left untouched");
    r.state.lineage = lineage;
    r.known.lineage = lineage;
    return r;
  }
  try {
    r.state = decoder.finish();
  } catch (const Error& e) {
    std::string message =
        "state file '" + path_.string() + "' cannot be used: " + e.what() + "; the file was left untouched";
    std::error_code ec;
    if (fs::is_regular_file(backup_path(), ec))
      message += " (the previous version is in '" + backup_path().string() + "')";
    throw Error(ErrorKind::kState, message);
  }
  r.known.snapshot = snapshot_stamp;
  r.known.snapshot_bytes = static_cast<std::size_t>(snapshot_stamp.size);
  r.known.version = r.state.format_version;
  if (journal && !journal->empty()) {
    const std::string where = "state journal '" + journal_path().string() + "' cannot be used: ";
    const std::string untouched = "; the files were left untouched";
    if (r.state.format_version < 2)
      throw Error(ErrorKind::kState,
                  where + "its snapshot has format version 1, which has no journal" + untouched);
    State& s = r.state;
    JournalScan scan;
    try {
      scan = scan_journal(*journal, [&](JournalBatch&& batch) {
        if (batch.lineage != s.lineage)
          throw Error(ErrorKind::kState, "a batch belongs to another state (lineage)");
        if (batch.serial <= s.serial) return;  // already in the snapshot
        if (batch.serial != s.serial + 1)
          throw Error(ErrorKind::kState, "batch serial " + std::to_string(batch.serial) + " follows serial " +
                                             std::to_string(s.serial) + " (batches are missing)");
        for (auto& c : batch.changes) {
          if (c.record)
            s.clusters[c.identity] = std::move(*c.record);
          else
            s.clusters.erase(c.identity);
        }
        s.serial = batch.serial;
      });
    } catch (const Error& e) {
      throw Error(ErrorKind::kState, where + e.what() + untouched);
    }
    r.known.journal_bytes = scan.valid_bytes;
    r.known.torn_bytes = scan.torn_bytes;
    if (scan.torn_bytes && warn_)
      warn_("state journal '" + journal_path().string() + "': ignored an incomplete last batch (" +
            std::to_string(scan.torn_bytes) + " bytes: a save cut short, or one in progress)");
  }
  r.known.lineage = r.state.lineage;
  r.known.serial = r.state.serial;
  return r;
}

State LocalStore::load(Random& random) {
  Read r = read(lineage_from(random));
  known_ = r.known;
  return std::move(r.state);
}

void LocalStore::check_current(const State& header) {
  if (known_ && known_->lineage == header.lineage && known_->serial == header.serial &&
      stamp_of(path_) == known_->snapshot && stamp_of(journal_path()) == known_->journal)
    return;
  Read now;
  try {
    now = read(header.lineage);
  } catch (const Error& e) {
    throw Error(ErrorKind::kState, std::string("state was damaged while provision ran (") + e.what() +
                                       "); not writing to '" + path_.string() + "'");
  }
  if (!now.known.snapshot && header.serial != 0)
    throw Error(ErrorKind::kState,
                "state file '" + path_.string() + "' disappeared since it was read; not writing a new one");
  if (now.state.lineage != header.lineage || now.state.serial != header.serial)
    throw Error(ErrorKind::kState, "state file '" + path_.string() +
                                       "' changed on disk since it was read (serial " +
                                       std::to_string(now.state.serial) + ", expected " +
                                       std::to_string(header.serial) + "); not overwriting it");
  known_ = now.known;
}

void LocalStore::commit(State& header, const ChangeBatch& changes, const FaultHook& fault) {
  if (broken_)
    throw Error(ErrorKind::kState, "cannot save '" + path_.string() +
                                       "': an earlier failed save could not be taken back; run again");
  check_current(header);
  if (known_->version < kFormatVersion) {
    // No snapshot yet, or a version-1 file: this save writes a whole new snapshot (and keeps
    // the version-1 file as the backup).
    rewrite(header, changes, header.serial + 1, fault);
    header.serial += 1;
    return;
  }
  append(header, changes, fault);
  if (known_->journal_bytes > compact_at_ && known_->journal_bytes > known_->snapshot_bytes) {
    try {
      rewrite(header, {}, header.serial, fault);
    } catch (const Error& e) {
      // The batch is committed in the journal; a later save compacts again.
      if (warn_) warn_(std::string("could not compact the state journal: ") + e.what());
    }
  }
}

void LocalStore::rewrite(const State& header, const ChangeBatch& changes, std::uint64_t serial,
                         const FaultHook& fault) {
  Read disk = read(header.lineage);
  std::map<ClusterIdentity, std::shared_ptr<const EncodedRecord>> records;
  for (const auto& [id, record] : disk.state.clusters)
    records.emplace(id, std::make_shared<const EncodedRecord>(encode_record(record)));
  for (const auto& c : changes) {
    if (c.record)
      records[c.identity] = c.record;
    else
      records.erase(c.identity);
  }
  State next;
  next.format_version = kFormatVersion;
  next.serial = serial;
  next.lineage = header.lineage;
  EncodedRecords sorted;
  sorted.reserve(records.size());
  for (auto& [id, record] : records) sorted.push_back(record);
  const std::string bytes = encode_state(next, sorted);
  FileStamp written;
  replace_file_atomically(path_, bytes, backup_path(), fault, &written);
  Known k;
  k.lineage = header.lineage;
  k.serial = serial;
  k.version = kFormatVersion;
  k.snapshot = written;
  k.snapshot_bytes = bytes.size();
  // The journal is folded in: remove it (if that fails, its batches are all skipped by serial).
  if (::unlink(journal_path().c_str()) == 0) sync_directory(path_.parent_path());
  k.journal = stamp_of(journal_path());
  if (k.journal) k.journal_bytes = static_cast<std::size_t>(k.journal->size);
  known_ = k;
}

void LocalStore::fail_append(WriteStep step, int error, int fd, std::size_t restore_to) {
  // Take back whatever part of the batch reached the file, so that it is never read.
  if (fd >= 0 && (::ftruncate(fd, static_cast<off_t>(restore_to)) != 0 || ::fsync(fd) != 0)) broken_ = true;
  throw Error(ErrorKind::kState, "cannot save '" + path_.string() + "': " + step_name(step) + " '" +
                                     journal_path().string() + "': " + posix::errno_message(error) +
                                     "; the previous content is unchanged");
}

void LocalStore::append(State& header, const ChangeBatch& changes, const FaultHook& fault) {
  const std::string line = encode_batch(header.serial + 1, header.lineage, changes);
  const bool existed = known_->journal.has_value();
  const std::size_t before = known_->journal_bytes;
  auto injected = [&](WriteStep s) { return fault ? fault(s) : 0; };
  if (int e = injected(WriteStep::kAppend)) fail_append(WriteStep::kAppend, e, -1, before);
  posix::UniqueFd file(::open(journal_path().c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
  if (!file) fail_append(WriteStep::kAppend, posix::last_errno(), -1, before);
  // Drops an incomplete last batch left by a crash, then writes at the end of the good ones.
  if ((known_->torn_bytes && ::ftruncate(file.get(), static_cast<off_t>(before)) != 0) ||
      ::lseek(file.get(), static_cast<off_t>(before), SEEK_SET) < 0)
    fail_append(WriteStep::kAppend, posix::last_errno(), -1, before);
  known_->torn_bytes = 0;
  if (write_all(file.get(), line) != 0)
    fail_append(WriteStep::kAppend, posix::last_errno(), file.get(), before);
  if (int e = injected(WriteStep::kSyncAppend)) fail_append(WriteStep::kSyncAppend, e, file.get(), before);
  if (::fsync(file.get()) != 0) fail_append(WriteStep::kSyncAppend, posix::last_errno(), file.get(), before);
  if (!existed && sync_directory(path_.parent_path()) != 0)
    fail_append(WriteStep::kSyncDir, posix::last_errno(), file.get(), before);
  known_->journal = stamp_of(journal_path());
  known_->journal_bytes = before + line.size();
  known_->serial = header.serial + 1;
  header.serial += 1;
}

}  // namespace provision::state
