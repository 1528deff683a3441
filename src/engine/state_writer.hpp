// The one writer of the state during a run. Changes are made in memory on the
// engine's thread (so they are naturally serialised) and counted; a change is
// durable once a commit that includes it has succeeded: save_now() here, or a flush
// of the run's GroupCommit, which commits batches on another thread. A batch holds
// only the records changed since the last commit, never the whole state.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>

#include "core/clock.hpp"
#include "engine/plan.hpp"
#include "state/state_store.hpp"

namespace provision::engine {

class StateWriter {
 public:
  // `store`, `state` and `clock` must outlive the writer; `state` was loaded from `store`.
  StateWriter(state::StateStore& store, state::State& state, const Clock& clock);

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

  // Changes made so far, and how many of them are known to be durable.
  std::uint64_t changes() const { return changes_; }
  std::uint64_t saved_changes() const { return saved_changes_; }

  // What a commit writes, taken on the writer's thread to be written on another: the
  // state's header (no clusters) and each record changed since the last durable commit,
  // encoded when it last changed.
  struct Snapshot {
    state::State header;
    state::ChangeBatch batch;
    std::uint64_t changes = 0;
  };
  Snapshot snapshot() const;
  // Commits `s` (serial + 1); callable from one other thread at a time, while no
  // save_now() runs. Throws Error(kState); the store then keeps its last good version.
  void write(Snapshot& s) const { store_.commit(s.header, s.batch, fault_); }
  // On the writer's thread, after write(s) succeeded: its changes are durable.
  void written(const Snapshot& s);

  // Commits every change now, on this thread. Throws Error(kState).
  void save_now();

  // Test hook passed to every commit (see state::FaultHook).
  void set_fault_hook(state::FaultHook fault) { fault_ = std::move(fault); }

 private:
  // Counts a change to `id`'s record and encodes it again.
  void changed(const state::ClusterIdentity& id);

  // A record changed since the last durable commit: the change number of its last
  // change and its encoding then (null: removed).
  struct Dirty {
    std::uint64_t change = 0;
    std::shared_ptr<const state::EncodedRecord> record;
  };

  state::StateStore& store_;
  state::State& state_;
  const Clock& clock_;
  state::FaultHook fault_;
  std::map<state::ClusterIdentity, Dirty> dirty_;
  std::uint64_t changes_ = 0;
  std::uint64_t saved_changes_ = 0;
};

}  // namespace provision::engine
