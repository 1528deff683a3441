// The one writer of the state during a run: every change is applied to the
// in-memory state and saved at once, so a crash loses at most the step in flight.
// Runs on the engine's single thread, so changes are naturally serialised.
#pragma once

#include "core/clock.hpp"
#include "engine/plan.hpp"
#include "state/state_file.hpp"

namespace provision::engine {

class StateWriter {
 public:
  // `file`, `state` and `clock` must outlive the writer; `state` was loaded from `file`.
  StateWriter(const state::StateFile& file, state::State& state, const Clock& clock)
      : file_(file), state_(state), clock_(clock) {}

  const state::State& state() const { return state_; }
  const state::ClusterRecord* find(const state::ClusterIdentity& id) const;

  // Durably records that a Create for `d` is about to be sent. Throws Error(kState).
  void record_pending_create(const DesiredCluster& d);
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

 private:
  void save();

  const state::StateFile& file_;
  state::State& state_;
  const Clock& clock_;
};

}  // namespace provision::engine
