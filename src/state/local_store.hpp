// The default store: a snapshot file (".provision/state.json") followed by an append-only
// journal ("<path>.journal") of checksummed change batches, one fsync per commit, folded
// into a new snapshot when it outgrows it. An flock on "<path>.lock" is its lock.
// Format and safety rules: doc/state-format.md.
#pragma once

#include <filesystem>
#include <optional>

#include "state/state_store.hpp"

namespace provision::state {

// The default location, relative to the current directory.
inline constexpr const char* kDefaultStatePath = ".provision/state.json";

class LocalStore final : public StateStore {
 public:
  explicit LocalStore(std::filesystem::path path, StoreWarning warn = {});

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path journal_path() const;
  std::filesystem::path backup_path() const;  // the snapshot before the last rewrite
  std::filesystem::path lock_path() const;

  // The journal is folded into a new snapshot once it is larger than this and than the
  // snapshot itself (so rewrites stay a fixed share of the bytes written).
  void set_compaction_threshold(std::size_t bytes) { compact_at_ = bytes; }

  StoreIdentity identity() const override;
  std::unique_ptr<StoreLock> lock(const std::string& command, const Clock& clock,
                                  std::chrono::milliseconds timeout) override;
  State load(Random& random) override;
  void commit(State& header, const ChangeBatch& changes, const FaultHook& fault = {}) override;

 private:
  // What was on disk at the last read or write.
  struct Known {
    std::string lineage;
    std::uint64_t serial = 0;
    int version = 0;  // the snapshot's format version; 0: no snapshot yet
    std::optional<FileStamp> snapshot, journal;
    std::size_t snapshot_bytes = 0;
    std::size_t journal_bytes = 0;  // its complete batches
    std::size_t torn_bytes = 0;     // an incomplete last batch after them
  };
  struct Read {
    State state;
    Known known;
  };

  // Snapshot and journal as they are now (a missing snapshot: an empty state with
  // `lineage`). Throws Error(kState) naming the damaged file.
  Read read(const std::string& lineage) const;
  // Refuses to commit over a state that is not the one `header` came from.
  void check_current(const State& header);
  // A new snapshot of the state on disk with `changes` applied, as `serial`; the journal
  // it folds in is removed.
  void rewrite(const State& header, const ChangeBatch& changes, std::uint64_t serial, const FaultHook& fault);
  void append(State& header, const ChangeBatch& changes, const FaultHook& fault);
  [[noreturn]] void fail_append(WriteStep step, int error, int fd, std::size_t restore_to);

  std::filesystem::path path_;
  StoreWarning warn_;
  std::size_t compact_at_ = std::size_t{4} << 20;
  std::optional<Known> known_;
  bool broken_ = false;  // a failed append could not be taken back: refuse further commits
};

// A new empty state with a random lineage.
State empty_state(Random& random);

}  // namespace provision::state
