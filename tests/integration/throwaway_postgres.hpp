// A PostgreSQL server of its own for one test: initdb into a temp folder (as the postgres
// user when the tests run as root, since initdb refuses root), scram-sha-256 with a known
// password, listening on 127.0.0.1 at a free port; stopped with pg_ctl at scope exit.
#pragma once

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace provision::test {

class ThrowawayPostgres {
 public:
  // The folder holding initdb, pg_ctl and postgres, or "" when PostgreSQL is not installed.
  static std::string bin_dir() {
    for (const char* dir : {"/usr/local/bin", "/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin"})
      if (std::filesystem::exists(std::string(dir) + "/initdb")) return dir;
    return "";
  }

  explicit ThrowawayPostgres(const std::string& password) : bin_(bin_dir()), port_(free_port()) {
    REQUIRE(!bin_.empty());
    dir_.write("pw", password + "\n");
    if (::geteuid() == 0) {
      const passwd* pg = ::getpwnam("postgres");
      REQUIRE(pg != nullptr);
      for (const auto& p : {dir_.path(), dir_ / "pw"})
        REQUIRE(::chown(p.c_str(), pg->pw_uid, pg->pw_gid) == 0);
    }
    RunResult init = run(as_postgres({bin_ + "/initdb", "-D", data(), "-U", "provision",
                                      "--auth=scram-sha-256", "--pwfile=" + (dir_ / "pw").string(), "-N"}));
    INFO(init.out << init.err);
    REQUIRE(init.exit_code == 0);
    server_ = std::make_unique<BackgroundProcess>(
        as_postgres({"/bin/sh", "-c",
                     "exec " + bin_ + "/postgres -D " + data() + " -p " + std::to_string(port_) + " -k " +
                         dir_.path().string() + " -c listen_addresses=127.0.0.1 -c fsync=off 2>&1"}));
    server_->wait_for_output("ready to accept connections");
  }

  ~ThrowawayPostgres() {
    run(as_postgres({bin_ + "/pg_ctl", "stop", "-D", data(), "-m", "fast"}));
    if (server_) server_->stop();
  }

  // postgresql://provision@127.0.0.1:PORT/postgres (the password goes in PGPASSWORD).
  std::string uri(const std::string& password = "") const {
    return "postgresql://provision" + (password.empty() ? "" : ":" + password) +
           "@127.0.0.1:" + std::to_string(port_) + "/postgres";
  }

 private:
  std::string data() const { return (dir_ / "data").string(); }

  static std::vector<std::string> as_postgres(std::vector<std::string> argv) {
    if (::geteuid() == 0) argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", "postgres", "--"});
    return argv;
  }

  static int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
  }

  TempDir dir_;
  std::string bin_;
  int port_;
  std::unique_ptr<BackgroundProcess> server_;
};

}  // namespace provision::test
