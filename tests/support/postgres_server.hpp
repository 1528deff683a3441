// A private PostgreSQL server for one test: initdb in a temp folder, listening on a free
// port of 127.0.0.1 with password (SCRAM) authentication, stopped and removed at scope
// exit. PostgreSQL refuses to run as root, so as root the server runs as the `postgres`
// user that Debian's package creates.
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace provision::test {

class PostgresServer {
 public:
  PostgresServer();  // REQUIREs that the server starts
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // postgresql://provision@127.0.0.1:PORT/postgres — no password in it.
  std::string uri() const;
  // The same with the password in it (to test that it is never shown).
  std::string uri_with_password() const;
  const std::string& password() const { return password_; }
  // PGPASSWORD, for a provision process that connects with uri().
  std::map<std::string, std::string> env() const { return {{"PGPASSWORD", password_}}; }
  // Runs SQL with psql; returns its output (unaligned, tuples only).
  std::string sql(const std::string& statement) const;
  // The same, "" when it fails (a table provision has not created yet).
  std::string sql_or_empty(const std::string& statement) const;

  // Stops the server (fast shutdown: connections are closed), and starts it again.
  void stop();
  void start();

 private:
  std::string as_server_user(const std::string& command) const;
  std::filesystem::path dir_;
  std::filesystem::path bin_;
  int port_ = 0;
  std::string password_;
  bool running_ = false;
};

}  // namespace provision::test
