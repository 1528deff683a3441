// The PostgreSQL store. Schema version 1:
//   provision_schema(version)                     one row
//   provision_states(name, lineage, serial, updated_at)
//   provision_clusters(state_name, region_id, workspace_id, name, record json)
//   provision_locks(state_name, pid, host, command, since)   who holds each lock
#include "state/postgres_store.hpp"

#include <unistd.h>

#include <boost/json.hpp>
#include <thread>

#include "core/error.hpp"
#include "state/connection_uri.hpp"
#include "state/local_store.hpp"
#include "state/pg_connection.hpp"
#include "state/state_lock.hpp"

namespace provision::state {
namespace json = boost::json;
namespace {

constexpr int kSchemaVersion = 1;

// Creating the tables is serialised by a transaction-level advisory lock, so that two
// first runs at once do not race in CREATE TABLE.
const char* const kCreateSchema[] = {
    "BEGIN",
    "SELECT pg_advisory_xact_lock(hashtext('provision'), 0)",
    "CREATE TABLE IF NOT EXISTS provision_schema (version integer NOT NULL)",
    "INSERT INTO provision_schema (version) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM provision_schema)",
    "CREATE TABLE IF NOT EXISTS provision_states (name text PRIMARY KEY, lineage text NOT NULL, "
    "serial bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())",
    "CREATE TABLE IF NOT EXISTS provision_clusters (state_name text NOT NULL REFERENCES "
    "provision_states(name) "
    "ON DELETE CASCADE, region_id text NOT NULL, workspace_id text NOT NULL, name text NOT NULL, "
    "record json NOT NULL, PRIMARY KEY (state_name, region_id, workspace_id, name))",
    "CREATE TABLE IF NOT EXISTS provision_locks (state_name text PRIMARY KEY, pid bigint NOT NULL, "
    "host text NOT NULL, command text NOT NULL, since text NOT NULL)",
    "COMMIT",
};

// The advisory lock of one state: never one global key, so states do not block each other.
constexpr const char* kTryLock = "SELECT pg_try_advisory_lock(hashtext('provision'), hashtext($1))";

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown-host";
  return name;
}

class AdvisoryLock final : public StoreLock {
 public:
  AdvisoryLock(PgConnection& connection, std::string name, bool& locked)
      : connection_(connection), name_(std::move(name)), locked_(locked) {}
  ~AdvisoryLock() override {
    std::string ignored;
    if (connection_.alive()) {
      connection_.try_exec("DELETE FROM provision_locks WHERE state_name = $1 AND pid = $2",
                           {name_, std::to_string(::getpid())}, ignored);
      connection_.try_exec("SELECT pg_advisory_unlock(hashtext('provision'), hashtext($1))", {name_},
                           ignored);
    }
    locked_ = false;
  }

 private:
  PgConnection& connection_;
  std::string name_;
  bool& locked_;
};

std::string seconds_text(std::chrono::milliseconds d) {
  auto ms = d.count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + "s" : std::to_string(ms) + "ms";
}

}  // namespace

PostgresStore::PostgresStore(std::string uri, std::string name)
    : uri_(std::move(uri)), name_(std::move(name)) {}

PostgresStore::~PostgresStore() = default;

StoreIdentity PostgresStore::identity() const { return {"postgresql", redact_uri(uri_), name_}; }

PgConnection& PostgresStore::connection() {
  if (connection_ && connection_->alive()) return *connection_;
  const std::string where = describe(identity());
  if (connection_ && locked_)
    throw Error(ErrorKind::kState, where +
                                       ": the connection was lost, and the state lock with it; "
                                       "nothing more is saved in this run (run again)");
  connection_ = std::make_unique<PgConnection>(uri_, where);
  PgConnection& c = *connection_;
  const auto present = c.exec("SELECT to_regclass('provision_schema') IS NOT NULL");
  if (present.rows.at(0).at(0) != "t") {
    for (const char* statement : kCreateSchema) {
      std::string error;
      if (!c.try_exec(statement, {}, error)) {
        c.try_exec("ROLLBACK", {}, error);
        throw Error(ErrorKind::kState, where + ": cannot create provision's tables: " + error);
      }
    }
  }
  const auto version = c.exec("SELECT max(version) FROM provision_schema");
  const auto& v = version.rows.at(0).at(0);
  if (!v || std::stoi(*v) > kSchemaVersion)
    throw Error(ErrorKind::kState, where + " has provision tables of schema version " + v.value_or("?") +
                                       ", newer than this provision reads (" +
                                       std::to_string(kSchemaVersion) + "); use a newer provision");
  return c;
}

std::unique_ptr<StoreLock> PostgresStore::lock(const std::string& command, const Clock& clock,
                                               std::chrono::milliseconds timeout) {
  PgConnection& c = connection();
  const auto start = std::chrono::steady_clock::now();
  auto pause = std::chrono::milliseconds(50);
  for (;;) {
    if (c.exec(kTryLock, {name_}).rows.at(0).at(0) == "t") break;
    const auto waited =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    if (waited >= timeout) {
      std::string who = "another process (no holder record)";
      // A holder that has just taken the lock may not have written its record yet.
      for (int i = 0; i < 20; ++i) {
        auto rows =
            c.exec("SELECT pid, host, command, since FROM provision_locks WHERE state_name = $1", {name_});
        if (!rows.rows.empty()) {
          const auto& r = rows.rows[0];
          LockHolder h{std::stol(r[0].value_or("0")), r[1].value_or("?"), r[2].value_or("?"),
                       r[3].value_or("?")};
          who = describe(h);
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      std::string message = "state is locked by " + who;
      if (timeout.count() > 0) message += "; still locked after waiting " + seconds_text(waited);
      message += " (" + describe(identity()) + "); wait for it to finish";
      throw Error(ErrorKind::kLocked, message, lock_wait_hint(timeout));
    }
    std::this_thread::sleep_for(std::min(pause, timeout - waited));
    pause = std::min(pause * 2, std::chrono::milliseconds(1000));
  }
  locked_ = true;
  auto held = std::make_unique<AdvisoryLock>(c, name_, locked_);
  c.exec(
      "INSERT INTO provision_locks (state_name, pid, host, command, since) VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT (state_name) DO UPDATE SET pid = EXCLUDED.pid, host = EXCLUDED.host, "
      "command = EXCLUDED.command, since = EXCLUDED.since",
      {name_, std::to_string(::getpid()), host_name(), command, format_iso8601_utc(clock.now())});
  return held;
}

State PostgresStore::load(Random& random) {
  PgConnection& c = connection();
  const std::string where = describe(identity());
  // One snapshot of both tables.
  c.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  State state;
  try {
    auto head = c.exec("SELECT lineage, serial FROM provision_states WHERE name = $1", {name_});
    if (head.rows.empty()) {
      c.exec("COMMIT");
      return empty_state(random);
    }
    state.lineage = head.rows[0][0].value_or("");
    state.serial = std::stoull(head.rows[0][1].value_or("0"));
    auto rows = c.exec("SELECT record FROM provision_clusters WHERE state_name = $1", {name_});
    c.exec("COMMIT");
    std::size_t index = 0;
    for (auto& row : rows.rows) {
      boost::system::error_code ec;
      json::value v = json::parse(row[0].value_or(""), ec);
      if (ec) throw Error(ErrorKind::kState, "record " + std::to_string(index) + " is not valid JSON");
      ClusterRecord record = decode_record(v, "record " + std::to_string(index++));
      state.clusters.emplace(record.identity, std::move(record));
    }
  } catch (const Error& e) {
    std::string ignored;
    c.try_exec("ROLLBACK", {}, ignored);
    if (e.kind() == ErrorKind::kState && std::string(e.what()).rfind(where, 0) == 0) throw;
    throw Error(ErrorKind::kState, where + " cannot be used: " + e.what() + "; it was left untouched");
  }
  return state;
}

void PostgresStore::commit(State& header, const ChangeBatch& changes, const FaultHook& fault) {
  PgConnection& c = connection();
  const std::string where = describe(identity());
  std::string error;
  auto run = [&](const std::string& sql, const std::vector<std::string>& params) {
    auto rows = c.try_exec(sql, params, error);
    if (!rows) throw Error(ErrorKind::kState, "cannot save " + where + ": " + error);
    return std::move(*rows);
  };
  try {
    run("BEGIN", {});
    auto head = run("SELECT lineage, serial FROM provision_states WHERE name = $1 FOR UPDATE", {name_});
    if (head.rows.empty()) {
      if (header.serial != 0)
        throw Error(ErrorKind::kState, where + " disappeared since it was read; not writing a new one");
      run("INSERT INTO provision_states (name, lineage, serial) VALUES ($1, $2, 0)", {name_, header.lineage});
    } else if (head.rows[0][0] != header.lineage || head.rows[0][1] != std::to_string(header.serial)) {
      throw Error(ErrorKind::kState, where + " changed since it was read (serial " +
                                         head.rows[0][1].value_or("?") + ", expected " +
                                         std::to_string(header.serial) + "); not overwriting it");
    }
    for (const auto& change : changes) {
      const auto& id = change.identity;
      if (change.record)
        run("INSERT INTO provision_clusters (state_name, region_id, workspace_id, name, record) "
            "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (state_name, region_id, workspace_id, name) "
            "DO UPDATE SET record = EXCLUDED.record",
            {name_, id.region_id, id.workspace_id, id.name, change.record->compact});
      else
        run("DELETE FROM provision_clusters WHERE state_name = $1 AND region_id = $2 AND workspace_id = $3 "
            "AND name = $4",
            {name_, id.region_id, id.workspace_id, id.name});
    }
    run("UPDATE provision_states SET serial = serial + 1, updated_at = now() WHERE name = $1", {name_});
    if (fault) {
      if (int e = fault(WriteStep::kAppend))
        throw Error(ErrorKind::kState, "cannot save " + where + ": injected failure " + std::to_string(e));
    }
    run("COMMIT", {});
  } catch (const Error&) {
    c.try_exec("ROLLBACK", {}, error);
    throw;
  }
  header.serial += 1;
}

}  // namespace provision::state
