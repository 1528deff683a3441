// A thin RAII layer over one libpq connection: parameterised statements, results as
// strings, every failure an Error(kState) that names the store (never its password).
// Used only inside src/state.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace provision::state {

// Rows of text values (NULL as nothing).
struct PgRows {
  std::vector<std::vector<std::optional<std::string>>> rows;
};

class PgConnection {
 public:
  // Connects to `uri` (libpq's URI; PGPASSWORD, ~/.pgpass, PGSERVICE and sslmode work as in
  // psql). `where` names the store in messages. Adds a connect timeout and TCP keepalives
  // unless the URI sets them, and a statement timeout unless the server has one.
  PgConnection(const std::string& uri, std::string where);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one statement with $1… parameters; throws Error(kState) on any failure.
  PgRows exec(const std::string& sql, const std::vector<std::string>& params = {});
  // The same, without throwing: nothing on failure, with the message in `error`.
  std::optional<PgRows> try_exec(const std::string& sql, const std::vector<std::string>& params,
                                 std::string& error);
  // False once the connection was lost (the server stopped, the network failed).
  bool alive() const;
  const std::string& where() const { return where_; }

 private:
  pg_conn* conn_ = nullptr;
  std::string where_;
};

}  // namespace provision::state
