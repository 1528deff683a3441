// Changes to the run's state in memory, counted so that a save knows which of
// them it made durable.
#include "engine/state_writer.hpp"

#include <algorithm>

namespace provision::engine {
using state::ClusterRecord;
using state::Phase;

StateWriter::StateWriter(state::StateStore& store, state::State& state, const Clock& clock)
    : store_(store), state_(state), clock_(clock) {}

void StateWriter::changed(const state::ClusterIdentity& id) {
  Dirty& d = dirty_[id];
  d.change = ++changes_;
  auto it = state_.clusters.find(id);
  d.record = it == state_.clusters.end()
                 ? nullptr
                 : std::make_shared<const state::EncodedRecord>(state::encode_record(it->second));
}

const ClusterRecord* StateWriter::find(const state::ClusterIdentity& id) const {
  auto it = state_.clusters.find(id);
  return it == state_.clusters.end() ? nullptr : &it->second;
}

StateWriter::Snapshot StateWriter::snapshot() const {
  Snapshot s;
  s.header.format_version = state_.format_version;
  s.header.serial = state_.serial;
  s.header.lineage = state_.lineage;
  // Every record changed since the last durable commit, so that a batch that failed is
  // part of the next one.
  for (const auto& [id, d] : dirty_)
    if (d.change > saved_changes_) s.batch.push_back({id, d.record});
  s.changes = changes_;
  return s;
}

void StateWriter::written(const Snapshot& s) {
  // Only one commit is in flight at a time, so the serial follows the store's.
  state_.serial = s.header.serial;
  saved_changes_ = std::max(saved_changes_, s.changes);
  std::erase_if(dirty_, [&](const auto& entry) { return entry.second.change <= saved_changes_; });
}

void StateWriter::save_now() {
  if (saved_changes_ == changes_) return;
  Snapshot s = snapshot();
  write(s);
  written(s);
}

std::optional<ClusterRecord> StateWriter::record_pending_create(const DesiredCluster& d) {
  const std::string now = format_iso8601_utc(clock_.now());
  ClusterRecord r;
  r.identity = d.identity;
  r.body_sha256 = d.body_sha256;
  r.applied_body = d.redacted_body;
  r.phase = Phase::kPendingCreate;
  r.spec_file = d.spec_file;
  r.created_at = now;
  r.updated_at = now;
  std::optional<ClusterRecord> previous;
  if (auto it = state_.clusters.find(d.identity); it != state_.clusters.end()) previous = it->second;
  state_.clusters[d.identity] = std::move(r);
  changed(d.identity);
  return previous;
}

void StateWriter::undo_pending_create(const state::ClusterIdentity& id,
                                      const std::optional<ClusterRecord>& previous) {
  if (previous)
    state_.clusters[id] = *previous;
  else
    state_.clusters.erase(id);
  changed(id);
}

void StateWriter::record_created(const state::ClusterIdentity& id, const std::string& spec_file,
                                 const std::string& cluster_id, const DesiredCluster* applied) {
  const std::string now = format_iso8601_utc(clock_.now());
  ClusterRecord& r = state_.clusters[id];
  if (r.created_at.empty()) r.created_at = now;
  r.identity = id;
  r.cluster_id = cluster_id;
  r.phase = Phase::kCreated;
  r.spec_file = spec_file;
  r.body_sha256 = applied ? applied->body_sha256 : "";
  r.applied_body = applied ? applied->redacted_body : boost::json::object{};
  r.updated_at = now;
  changed(id);
}

void StateWriter::record_updated(const DesiredCluster& d) {
  ClusterRecord& r = state_.clusters.at(d.identity);
  r.body_sha256 = d.body_sha256;
  r.applied_body = d.redacted_body;
  r.spec_file = d.spec_file;
  r.updated_at = format_iso8601_utc(clock_.now());
  changed(d.identity);
}

void StateWriter::record_pending_delete(const state::ClusterIdentity& id, const std::string& cluster_id) {
  ClusterRecord& r = state_.clusters.at(id);
  if (!cluster_id.empty()) r.cluster_id = cluster_id;
  if (r.cluster_id.empty()) return;  // nothing to delete yet: a pending create stays pending
  r.phase = Phase::kPendingDelete;
  r.updated_at = format_iso8601_utc(clock_.now());
  changed(id);
}

void StateWriter::forget(const state::ClusterIdentity& id) {
  if (state_.clusters.erase(id)) changed(id);
}

}  // namespace provision::engine
