// Where a state lives: a store that loads a whole state once and then takes batches of
// record changes, each committed atomically as the next serial. The engine and the CLI
// speak only to this interface; local_store.hpp (a file plus its journal) and
// postgres_store.hpp (one row per record) implement it. Format: doc/state-format.md.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "state/atomic_file.hpp"
#include "state/cluster_state.hpp"
#include "state/state_codec.hpp"

namespace provision::state {

// One record's change: its new encoding, or nothing when the record is removed.
struct RecordChange {
  ClusterIdentity identity;
  std::shared_ptr<const EncodedRecord> record;  // null: remove
};
using ChangeBatch = std::vector<RecordChange>;

// What names a state without revealing a secret: shown in messages and saved in plans.
struct StoreIdentity {
  std::string kind;      // "local" or "postgresql"
  std::string location;  // the file, or the connection URI with any password removed
  std::string name;      // the state's name within the store ("default" unless chosen)
};

// "state file '.provision/state.json'" or "PostgreSQL state 'prod' at postgresql://ci@db/infra".
std::string describe(const StoreIdentity& identity);

// A held lock; releasing it is destroying it.
class StoreLock {
 public:
  virtual ~StoreLock() = default;
};

// Warnings a store may have while it reads (an incomplete last batch dropped).
using StoreWarning = std::function<void(const std::string&)>;

class StateStore {
 public:
  virtual ~StateStore() = default;

  virtual StoreIdentity identity() const = 0;

  // Takes the store's exclusive lock for `command` ("provision apply"), waiting up to
  // `timeout` (zero: fail at once). Throws Error(kLocked) naming the holder, Error(kState)
  // when the store cannot be reached.
  virtual std::unique_ptr<StoreLock> lock(const std::string& command, const Clock& clock,
                                          std::chrono::milliseconds timeout) = 0;

  // The whole state; an empty one with a new lineage when nothing was ever saved. A damaged
  // or newer-format state throws Error(kState) and is left untouched.
  virtual State load(Random& random) = 0;

  // Commits `changes` atomically as serial + 1 on top of `header` (its serial and lineage
  // must still be the stored ones, or it refuses), then sets header.serial. Throws
  // Error(kState): nothing of the batch is then stored, and the header is unchanged.
  // Call with the lock held, one commit at a time.
  virtual void commit(State& header, const ChangeBatch& changes, const FaultHook& fault = {}) = 0;
};

// The changes that turn an empty state into `state` (every record an upsert).
ChangeBatch changes_from(const State& state);

}  // namespace provision::state
