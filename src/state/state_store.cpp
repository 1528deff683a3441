// Helpers every store shares.
#include "state/state_store.hpp"

namespace provision::state {

std::string describe(const StoreIdentity& identity) {
  if (identity.kind == "local") return "state file '" + identity.location + "'";
  return "PostgreSQL state '" + identity.name + "' at " + identity.location;
}

ChangeBatch changes_from(const State& state) {
  ChangeBatch batch;
  batch.reserve(state.clusters.size());
  for (const auto& [id, record] : state.clusters)
    batch.push_back({id, std::make_shared<const EncodedRecord>(encode_record(record))});
  return batch;
}

}  // namespace provision::state
