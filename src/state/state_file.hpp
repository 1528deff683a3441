// The state file on disk: load (missing = empty), save atomically with a backup,
// and the paths of its backup and lock files. Format: doc/state-format.md.
#pragma once

#include <filesystem>
#include <functional>

#include "core/clock.hpp"
#include "state/atomic_file.hpp"
#include "state/cluster_state.hpp"
#include "state/state_codec.hpp"

namespace provision::state {

// The default location, relative to the current directory.
inline constexpr const char* kDefaultStatePath = ".provision/state.json";

class StateFile {
 public:
  explicit StateFile(std::filesystem::path path) : path_(std::move(path)) {}

  const std::filesystem::path& path() const { return path_; }
  // "<path>.backup": the version before the last save.
  std::filesystem::path backup_path() const;
  // "<path>.lock": the file StateLock holds.
  std::filesystem::path lock_path() const;

  // The state on disk; a missing file is an empty state with a new lineage
  // (serial 0). A corrupt, unreadable or newer-format file throws Error(kState)
  // naming the file, which is left untouched.
  State load(Random& random) const;

  // Writes `state` with serial + 1 (updating `state.serial` on success) and keeps the
  // old file as backup. Refuses (Error(kState)) if the file on disk is no longer the
  // one `state` was loaded from (other serial or lineage). On failure the previous
  // file is intact and `state` unchanged.
  //
  // The check is cheap when this object loaded or saved `state`'s serial and lineage
  // itself: the file's stamp (inode, size, mtime) must still be the one it saw. Any
  // other case (another stamp, another serial) reads the file back and compares.
  // Not thread-safe: one load or save at a time (a run saves from one thread).
  void save(State& state, const FaultHook& fault = {}) const;

  // The same save, with the clusters given already encoded, in identity order
  // (`header.clusters` is not read): only formatVersion, serial and lineage are taken
  // from `header`, whose serial is updated on success.
  void save(State& header, const EncodedRecords& records, const FaultHook& fault = {}) const;

 private:
  // The version of the file this object last read or wrote.
  struct Known {
    std::string lineage;
    std::uint64_t serial = 0;
    std::optional<FileStamp> stamp;  // nothing: the file did not exist
  };

  bool still_known(const State& state) const;
  void check_on_disk(const State& state) const;
  // Checks, then writes `encode()` of `header` with serial + 1.
  void write_next(State& header, const std::function<std::string()>& encode, const FaultHook& fault) const;

  std::filesystem::path path_;
  mutable std::optional<Known> known_;
};

// A new empty state with a random lineage.
State empty_state(Random& random);

}  // namespace provision::state
