// Each change is saved before the caller goes on to its next request.
#include "engine/state_writer.hpp"

namespace provision::engine {
using state::ClusterRecord;
using state::Phase;

const ClusterRecord* StateWriter::find(const state::ClusterIdentity& id) const {
  auto it = state_.clusters.find(id);
  return it == state_.clusters.end() ? nullptr : &it->second;
}

void StateWriter::save() { file_.save(state_); }

void StateWriter::record_pending_create(const DesiredCluster& d) {
  const std::string now = format_iso8601_utc(clock_.now());
  ClusterRecord r;
  r.identity = d.identity;
  r.body_sha256 = d.body_sha256;
  r.applied_body = d.redacted_body;
  r.phase = Phase::kPendingCreate;
  r.spec_file = d.spec_file;
  r.created_at = now;
  r.updated_at = now;
  const auto previous = state_.clusters.find(d.identity);
  std::optional<ClusterRecord> old;
  if (previous != state_.clusters.end()) old = previous->second;
  state_.clusters[d.identity] = r;
  try {
    save();
  } catch (...) {
    // Keep memory equal to disk: the create must not be sent.
    if (old)
      state_.clusters[d.identity] = *old;
    else
      state_.clusters.erase(d.identity);
    throw;
  }
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
  save();
}

void StateWriter::record_updated(const DesiredCluster& d) {
  ClusterRecord& r = state_.clusters.at(d.identity);
  r.body_sha256 = d.body_sha256;
  r.applied_body = d.redacted_body;
  r.spec_file = d.spec_file;
  r.updated_at = format_iso8601_utc(clock_.now());
  save();
}

void StateWriter::record_pending_delete(const state::ClusterIdentity& id, const std::string& cluster_id) {
  ClusterRecord& r = state_.clusters.at(id);
  if (!cluster_id.empty()) r.cluster_id = cluster_id;
  if (r.cluster_id.empty()) return;  // nothing to delete yet: a pending create stays pending
  r.phase = Phase::kPendingDelete;
  r.updated_at = format_iso8601_utc(clock_.now());
  save();
}

void StateWriter::forget(const state::ClusterIdentity& id) {
  if (state_.clusters.erase(id)) save();
}

}  // namespace provision::engine
