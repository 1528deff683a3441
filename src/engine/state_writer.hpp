// The one writer of the state during a run. Changes are made in memory on the
// engine's thread (so they are naturally serialised) and counted; a change is
// durable once a save that includes it has succeeded: save_now() here, or a flush
// of the run's GroupCommit, which writes snapshots on another thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>

#include "core/clock.hpp"
#include "engine/plan.hpp"
#include "state/state_codec.hpp"
#include "state/state_file.hpp"

namespace provision::engine {

class StateWriter {
 public:
  // `file`, `state` and `clock` must outlive the writer; `state` was loaded from `file`.
  StateWriter(const state::StateFile& file, state::State& state, const Clock& clock);

  const state::State& state() const { return state_; }
  const state::ClusterRecord* find(const state::ClusterIdentity& id) const;

  // Records that a Create for `d` is about to be sent; the Create may go once this is
  // durable. Returns the record it replaced, for undo_pending_create.
  std::optional<state::ClusterRecord> record_pending_create(const DesiredCluster& d);
  // Takes back a pending-create whose save failed (the Create is not sent).
  void undo_pending_create(const state::ClusterIdentity& id,
                           const std::optional<state::ClusterRecord>& previous);
  // Records the cluster as created with `cluster_id`; with `applied` the body that is now
  // applied (hash and redacted copy), without it the body is unknown (adopted/imported).
  void record_created(const state::ClusterIdentity& id, const std::string& spec_file,
                      const std::string& cluster_id, const DesiredCluster* applied);
  // Records a successful Update of an existing record with `d`'s body.
  void record_updated(const DesiredCluster& d);
  // Marks a destroy as started (keeps the record).
  void record_pending_delete(const state::ClusterIdentity& id, const std::string& cluster_id);
  // Forgets the cluster (it is gone, or a create surely did not happen).
  void forget(const state::ClusterIdentity& id);

  // Changes made so far, and how many of them are known to be on disk.
  std::uint64_t changes() const { return changes_; }
  std::uint64_t saved_changes() const { return saved_changes_; }

  // What a save writes, taken on the writer's thread to be written on another: the
  // state's header (no clusters) and its records, each encoded when it last changed, so
  // that taking a snapshot copies pointers, not records.
  struct Snapshot {
    state::State header;
    state::EncodedRecords records;
    std::uint64_t changes = 0;
  };
  Snapshot snapshot() const;
  // Writes `s` (serial + 1); callable from one other thread at a time, while no
  // save_now() runs. Throws Error(kState); the file then keeps its last good version.
  void write(Snapshot& s) const { file_.save(s.header, s.records, fault_); }
  // On the writer's thread, after write(s) succeeded: its changes are durable.
  void written(const Snapshot& s);

  // Saves every change now, on this thread. Throws Error(kState).
  void save_now();

  // Test hook passed to every save (see state::FaultHook).
  void set_fault_hook(state::FaultHook fault) { fault_ = std::move(fault); }

 private:
  // Counts a change to `id`'s record and encodes it again.
  void changed(const state::ClusterIdentity& id);

  const state::StateFile& file_;
  state::State& state_;
  const Clock& clock_;
  state::FaultHook fault_;
  // Each record of state_, encoded (kept in step by changed()).
  std::map<state::ClusterIdentity, std::shared_ptr<const state::EncodedRecord>> encoded_;
  std::uint64_t changes_ = 0;
  std::uint64_t saved_changes_ = 0;
};

}  // namespace provision::engine
