// The state fixture: records and commits for the store tests (a state changed in memory and
// the batch that commits the same change), and a local store with two records committed.
#pragma once

#include <string>

#include "core/clock.hpp"
#include "state/local_store.hpp"
#include "state/state_store.hpp"
#include "support/temp_dir.hpp"

namespace provision::test {

inline state::ClusterRecord record(const std::string& name, const std::string& id_suffix = "") {
  state::ClusterRecord r;
  r.identity = {"cn-hangzhou", "w-1", name};
  r.cluster_id = "ray-" + name + id_suffix;
  r.phase = state::Phase::kCreated;
  r.spec_file = "specs/" + name + ".yaml";
  r.created_at = r.updated_at = "2026-11-26T07:00:00Z";
  return r;
}

inline state::RecordChange put(const state::ClusterRecord& r) {
  return {r.identity, std::make_shared<const state::EncodedRecord>(state::encode_record(r))};
}

inline state::RecordChange removal(const std::string& name) { return {record(name).identity, nullptr}; }

// Commits `r` into `store` and into `s` (which mirrors the store).
inline void commit_put(state::StateStore& store, state::State& s, const state::ClusterRecord& r,
                       const state::FaultHook& fault = {}) {
  store.commit(s, {put(r)}, fault);
  s.clusters[r.identity] = r;
}

// A local store in a fresh folder, loaded, with records "a" and "b" committed (serial 2):
// a snapshot and a journal of one batch, and the stamps of both known to the store.
struct StoreWithTwoRecords {
  explicit StoreWithTwoRecords(state::StoreWarning warn = {})
      : store(dir / "state.json", std::move(warn)), s(store.load(random)) {
    commit_put(store, s, record("a"));
    commit_put(store, s, record("b"));
  }
  TempDir dir;
  SeededRandom random{5};
  state::LocalStore store;
  state::State s;
};

}  // namespace provision::test
