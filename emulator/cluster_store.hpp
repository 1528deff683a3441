// The emulator's clusters: lookup by workspace and id, lifecycle settling by time, and
// persistence to <data-dir>/clusters.json (atomic) after every committed change.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <vector>

#include "emulator/cluster_record.hpp"

namespace provision::emulator {

class ClusterStore {
 public:
  // `file` empty keeps everything in memory (unit tests); otherwise load() reads it.
  explicit ClusterStore(std::filesystem::path file = {}) : file_(std::move(file)) {}

  // Reads the file if it exists. Throws Error(kState) naming the file when it is damaged.
  void load();
  // Writes every cluster atomically (temp, fsync, rename, fsync dir); no-op in memory.
  void save() const;

  ClusterRecord* find(const std::string& workspace_id, const std::string& cluster_id);
  // The workspace's clusters in creation order.
  std::vector<const ClusterRecord*> list(const std::string& workspace_id) const;
  // Adds a cluster, assigning its creation sequence number.
  ClusterRecord& insert(ClusterRecord record);
  void erase(const std::string& cluster_id);
  bool contains_id(const std::string& cluster_id) const { return clusters_.count(cluster_id) != 0; }
  std::size_t size() const { return clusters_.size(); }

  // Completes transitions whose time has come: Starting -> Running, Stopping -> Stopped.
  // Returns whether anything changed.
  bool settle(std::int64_t now_ms);

 private:
  std::filesystem::path file_;
  std::map<std::string, ClusterRecord> clusters_;  // by cluster id (ids are globally unique)
  std::uint64_t next_sequence_ = 1;
};

}  // namespace provision::emulator
