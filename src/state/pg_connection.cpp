// libpq calls, each checked; messages keep libpq's own words (host, port, user, the
// server's error), which never include the password.
#include "state/pg_connection.hpp"

#include <libpq-fe.h>

#include "core/error.hpp"

namespace provision::state {
namespace {

std::string trimmed(const char* text) {
  std::string s = text ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};

}  // namespace

PgConnection::PgConnection(const std::string& uri, std::string where) : where_(std::move(where)) {
  // Our defaults first: libpq lets later values win, and the URI (dbname, expanded) comes
  // last, so anything the user wrote in it overrides them.
  const char* keywords[] = {"connect_timeout",           "keepalives",       "keepalives_idle",
                            "keepalives_interval",       "keepalives_count", "tcp_user_timeout",
                            "fallback_application_name", "dbname",           nullptr};
  const char* values[] = {"10", "1", "10", "5", "3", "30000", "provision", uri.c_str(), nullptr};
  conn_ = PQconnectdbParams(keywords, values, 1);
  if (!conn_) throw Error(ErrorKind::kState, "cannot connect to " + where_ + ": out of memory");
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string message = trimmed(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw Error(ErrorKind::kState, "cannot connect to " + where_ + ": " + message);
  }
  // Nothing may hang: a statement that runs this long fails instead (unless the server or
  // the user already chose a limit).
  exec(
      "SELECT CASE WHEN current_setting('statement_timeout') = '0' "
      "THEN set_config('statement_timeout', '60s', false) END");
}

PgConnection::~PgConnection() {
  if (conn_) PQfinish(conn_);
}

bool PgConnection::alive() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

std::optional<PgRows> PgConnection::try_exec(const std::string& sql, const std::vector<std::string>& params,
                                             std::string& error) {
  if (!alive()) {
    error = "the connection was lost";
    return std::nullopt;
  }
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p.c_str());
  std::unique_ptr<PGresult, ResultDeleter> result(PQexecParams(
      conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0));
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    error = trimmed(result ? PQresultErrorMessage(result.get()) : PQerrorMessage(conn_));
    if (error.empty()) error = trimmed(PQerrorMessage(conn_));
    if (!alive()) error += " (the connection was lost)";
    return std::nullopt;
  }
  PgRows rows;
  const int n = PQntuples(result.get());
  const int columns = PQnfields(result.get());
  rows.rows.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    auto& row = rows.rows.emplace_back();
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(result.get(), i, c))
        row.emplace_back(std::nullopt);
      else
        row.emplace_back(std::string(PQgetvalue(result.get(), i, c),
                                     static_cast<std::size_t>(PQgetlength(result.get(), i, c))));
    }
  }
  return rows;
}

PgRows PgConnection::exec(const std::string& sql, const std::vector<std::string>& params) {
  std::string error;
  auto rows = try_exec(sql, params, error);
  if (!rows) throw Error(ErrorKind::kState, where_ + ": " + error);
  return std::move(*rows);
}

}  // namespace provision::state
