// The emulator's clusters: lookup by workspace and id, lifecycle settling by time, and
// persistence in <data-dir>: a snapshot clusters.json (atomic) plus an append-only journal
// clusters.journal, so that committing a change costs the size of that change, not of the store.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "core/posix_file.hpp"
#include "emulator/cluster_record.hpp"

namespace provision::emulator {

class ClusterStore {
 public:
  // The journal is folded into the snapshot once it is larger than this and than the
  // snapshot, so a change costs O(1) amortised and the journal stays within a small
  // multiple of the store.
  static constexpr std::uint64_t kMinJournalBytes = 1 << 20;

  // `file` (the snapshot) empty keeps everything in memory (unit tests); otherwise load()
  // reads it and the journal beside it. Tests lower `min_journal_bytes` to see compaction.
  explicit ClusterStore(std::filesystem::path file = {}, std::uint64_t min_journal_bytes = kMinJournalBytes);
  ClusterStore(const ClusterStore&) = delete;
  ClusterStore& operator=(const ClusterStore&) = delete;

  // Reads the snapshot if it exists, then replays the journal. A torn last journal line (a
  // crash during its write, so never answered) is ignored. Throws Error(kState) naming the
  // file when either is damaged. Reads only: call compact() to fold the journal in.
  void load();
  // Appends every change since the last commit (touch, insert, erase, settle) to the journal
  // and fdatasyncs it: durable on return. Rewrites the snapshot instead once the journal has
  // outgrown it, so the cost per change stays bounded. No-op in memory. Throws Error(kState).
  void commit();
  // Writes every cluster to the snapshot atomically (temp, fsync, rename, fsync dir), then
  // removes the journal. No-op in memory. Throws Error(kState).
  void compact();

  ClusterRecord* find(const std::string& workspace_id, const std::string& cluster_id);
  // The workspace's clusters in creation order.
  std::vector<const ClusterRecord*> list(const std::string& workspace_id) const;
  // Adds a cluster, assigning its creation sequence number.
  ClusterRecord& insert(ClusterRecord record);
  void erase(std::string cluster_id);
  // Records that a cluster obtained through find() changed, so commit() persists it and
  // settle() sees a transition it began.
  void touch(const std::string& cluster_id);
  bool contains_id(const std::string& cluster_id) const { return clusters_.count(cluster_id) != 0; }
  std::size_t size() const { return clusters_.size(); }

  // Completes transitions whose time has come: Starting -> Running, Stopping -> Stopped.
  // Returns whether anything changed. Costs O(log n) per due transition, not O(n).
  bool settle(std::int64_t now_ms);

  // The journal's path (clusters.journal beside the snapshot).
  const std::filesystem::path& journal_file() const { return journal_; }

 private:
  void index_transition(const ClusterRecord& record);
  void append_to_journal(const std::string& lines);

  std::filesystem::path file_;
  std::filesystem::path journal_;
  std::map<std::string, ClusterRecord> clusters_;  // by cluster id (ids are globally unique)
  std::uint64_t next_sequence_ = 1;
  std::set<std::pair<std::int64_t, std::string>> transitions_;  // (due ms, id); stale ones skipped
  std::set<std::string> dirty_;                                 // changed or erased since commit
  posix::UniqueFd journal_fd_;
  std::uint64_t journal_bytes_ = 0;  // up to the last complete line
  bool torn_tail_ = false;           // load() found a partial last line to cut off
  std::uint64_t snapshot_bytes_ = 0;
  std::uint64_t min_journal_bytes_;
};

}  // namespace provision::emulator
