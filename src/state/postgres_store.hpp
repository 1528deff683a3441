// A state in PostgreSQL, for teams whose runs happen on many machines: one row per
// cluster record, one transaction per commit, and a session advisory lock keyed on the
// state's name, which the server drops when its connection ends (kill -9, network
// loss), so it is never stale. Tables and lock: doc/state-format.md.
#pragma once

#include <memory>
#include <string>

#include "state/state_store.hpp"

namespace provision::state {

class PgConnection;

class PostgresStore final : public StateStore {
 public:
  // `uri` is a libpq connection URI; `name` one state among many in the database.
  // Connects on first use.
  PostgresStore(std::string uri, std::string name);
  ~PostgresStore() override;

  StoreIdentity identity() const override;
  std::unique_ptr<StoreLock> lock(const std::string& command, const Clock& clock,
                                  std::chrono::milliseconds timeout) override;
  State load(Random& random) override;
  void commit(State& header, const ChangeBatch& changes, const FaultHook& fault = {}) override;

 private:
  // The connection, made (and the tables created) on first use. Once the lock is held, a
  // lost connection is never replaced: the lock went with it.
  PgConnection& connection();

  std::string uri_;
  std::string name_;
  std::unique_ptr<PgConnection> connection_;
  bool locked_ = false;
};

}  // namespace provision::state
