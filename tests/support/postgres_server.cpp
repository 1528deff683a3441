// initdb + pg_ctl through /bin/sh, each step checked.
#include "support/postgres_server.hpp"

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <random>

#include "support/process.hpp"

namespace provision::test {
namespace fs = std::filesystem;
namespace {

// Debian installs the server binaries under /usr/lib/postgresql/<major>/bin.
fs::path server_bin() {
  fs::path best;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec))
    if (fs::exists(e.path() / "bin/initdb") && e.path() > best) best = e.path();
  return best.empty() ? best : best / "bin";
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

PostgresServer::PostgresServer() {
  bin_ = server_bin();
  REQUIRE_MESSAGE(!bin_.empty(), "PostgreSQL server binaries not found (apt-get install postgresql)");
  std::random_device seed;
  password_ = "pg-pw-" + std::to_string(seed()) + "-secret";
  char templ[] = "/tmp/provision-pg-XXXXXX";
  REQUIRE(::mkdtemp(templ) != nullptr);
  dir_ = templ;
  const std::string pwfile = (dir_ / "pwfile").string();
  {
    FILE* f = std::fopen(pwfile.c_str(), "w");
    REQUIRE(f != nullptr);
    std::fputs(password_.c_str(), f);
    std::fclose(f);
  }
  if (::geteuid() == 0) {
    auto r = run({"/bin/chown", "-R", "postgres:postgres", dir_.string()});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  }
  const std::string init = as_server_user(
      quoted((bin_ / "initdb").string()) + " -D " + quoted((dir_ / "data").string()) +
      " -U provision -A scram-sha-256 --pwfile=" + quoted(pwfile) + " --no-sync -E UTF8 --locale=C");
  auto r = run({"/bin/sh", "-c", init});
  REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  fs::remove(pwfile);
  port_ = free_port();
  start();
}

PostgresServer::~PostgresServer() {
  if (running_)
    run({"/bin/sh", "-c",
         as_server_user(quoted((bin_ / "pg_ctl").string()) + " -D " + quoted((dir_ / "data").string()) +
                        " -m immediate -w stop")});
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string PostgresServer::as_server_user(const std::string& command) const {
  if (::geteuid() != 0) return command;
  return "/usr/sbin/runuser -u postgres -- /bin/sh -c " + quoted(command);
}

void PostgresServer::start() {
  const std::string options = "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) +
                              " -c unix_socket_directories=" + (dir_ / "data").string() +
                              " -c fsync=off -c max_connections=60";
  auto r =
      run({"/bin/sh", "-c",
           as_server_user(quoted((bin_ / "pg_ctl").string()) + " -D " + quoted((dir_ / "data").string()) +
                          " -l " + quoted((dir_ / "data/server.log").string()) + " -o " + quoted(options) +
                          " -w -t 60 start")});
  REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  running_ = true;
}

void PostgresServer::stop() {
  auto r = run({"/bin/sh", "-c",
                as_server_user(quoted((bin_ / "pg_ctl").string()) + " -D " +
                               quoted((dir_ / "data").string()) + " -m fast -w stop")});
  REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  running_ = false;
}

std::string PostgresServer::uri() const {
  return "postgresql://provision@127.0.0.1:" + std::to_string(port_) + "/postgres";
}

std::string PostgresServer::uri_with_password() const {
  return "postgresql://provision:" + password_ + "@127.0.0.1:" + std::to_string(port_) + "/postgres";
}

namespace {

RunResult psql(const fs::path& bin, const std::string& uri, const std::map<std::string, std::string>& env,
               const std::string& statement) {
  RunOptions o;
  o.env = env;
  return run({(bin / "psql").string(), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", uri, "-c", statement},
             o);
}

}  // namespace

std::string PostgresServer::sql(const std::string& statement) const {
  auto r = psql(bin_, uri(), env(), statement);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return r.out;
}

std::string PostgresServer::sql_or_empty(const std::string& statement) const {
  auto r = psql(bin_, uri(), env(), statement);
  return r.exit_code == 0 ? r.out : "";
}

}  // namespace provision::test
