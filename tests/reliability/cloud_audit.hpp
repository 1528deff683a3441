// Helpers for the fault-matrix and crash scenarios: an emulator that can be restarted
// on the same data directory, a provision process that can be killed, and readers that
// compare what the emulator holds (clusters.json) with what the state file says.
#pragma once

#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "reliability_support.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace provision::test::audit {

namespace fs = std::filesystem;
namespace json = boost::json;
using SteadyClock = std::chrono::steady_clock;

inline const char* kWorkspace = "w-rel";

using provision::test::long_variant;

inline void report(const std::string& fields) { std::cout << "RELIABILITY " << fields << std::endl; }

// A provision-emulator on 127.0.0.1 (free port) serving `data_dir`; it reuses the CA
// there, so a restarted emulator is trusted by the same --ca-file.
class Emulator {
 public:
  Emulator(const fs::path& data_dir, const fs::path& access_log, const std::vector<std::string>& flags) {
    std::vector<std::string> argv{PROVISION_EMULATOR_BINARY, "--listen",     "127.0.0.1:0",      "--data-dir",
                                  data_dir.string(),         "--access-log", access_log.string()};
    argv.insert(argv.end(), flags.begin(), flags.end());
    process_ = std::make_unique<BackgroundProcess>(argv);
    const std::string listening = "listening on https://127.0.0.1:";
    std::string out = process_->wait_for_output(listening);
    const auto at = out.find(listening);
    REQUIRE_MESSAGE(at != std::string::npos, "the emulator did not start: " << out);
    // The port is complete once its line ends; "\x01" never comes, so this just reads on.
    for (int i = 0; i < 250 && out.find('\n', at) == std::string::npos; ++i)
      out = process_->wait_for_output("\x01", std::chrono::milliseconds(20));
    port_ = std::stoi(out.substr(at + listening.size()));
    const auto ca_at = out.find("CA certificate: ");
    REQUIRE(ca_at != std::string::npos);
    ca_ = out.substr(ca_at + 16, out.find('\n', ca_at) - ca_at - 16);
  }

  // SIGTERM: the emulator saves and exits with 0.
  void stop() {
    const RunResult r = process_->stop(SIGTERM, std::chrono::seconds(20));
    CHECK_MESSAGE(r.exit_code == 0, "the emulator did not stop cleanly: " << r.out);
  }

  std::vector<std::string> endpoint_args() const {
    return {"--endpoint", "127.0.0.1:" + std::to_string(port_), "--ca-file", ca_};
  }

 private:
  std::unique_ptr<BackgroundProcess> process_;
  int port_ = 0;
  std::string ca_;
};

// Environment for provision: the emulator's demo key, no colour.
inline RunOptions provision_options(const fs::path& cwd, std::chrono::milliseconds timeout) {
  RunOptions o;
  o.cwd = cwd.string();
  o.env = {{"ALIBABA_CLOUD_ACCESS_KEY_ID", "demo-access-key-id"},
           {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "demo-access-key-secret"},
           {"NO_COLOR", "1"}};
  o.unset_env = {"ALIBABA_CLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_PROFILE"};
  o.timeout = timeout;
  return o;
}

inline std::vector<std::string> provision_argv(const Emulator& emulator, std::vector<std::string> args) {
  std::vector<std::string> argv{PROVISION_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto endpoint = emulator.endpoint_args();
  argv.insert(argv.end(), endpoint.begin(), endpoint.end());
  return argv;
}

// Runs provision in `cwd` against `emulator`; bounded by `timeout` (killed after it).
inline RunResult provision(const fs::path& cwd, const Emulator& emulator, std::vector<std::string> args,
                           std::chrono::milliseconds timeout = std::chrono::seconds(300)) {
  return run(provision_argv(emulator, std::move(args)), provision_options(cwd, timeout));
}

// A provision process whose stdout and stderr go to a file, to be killed at any moment.
class KillableRun {
 public:
  KillableRun(const std::vector<std::string>& argv, const RunOptions& options, const fs::path& output) {
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      const int fd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (fd < 0 || null_fd < 0) _exit(126);
      ::dup2(null_fd, 0);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      for (const auto& name : options.unset_env) ::unsetenv(name.c_str());
      for (const auto& [k, v] : options.env) ::setenv(k.c_str(), v.c_str(), 1);
      if (::chdir(options.cwd.c_str()) != 0) _exit(126);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      _exit(127);
    }
  }
  ~KillableRun() {
    if (!reaped_) kill9();
  }
  KillableRun(const KillableRun&) = delete;
  KillableRun& operator=(const KillableRun&) = delete;

  // True once the process has ended (by itself or killed); reaps it.
  bool exited() {
    if (reaped_) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return false;
    reaped_ = true;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return true;
  }

  // kill -9 and reap. Returns false when the process had already ended by itself.
  bool kill9() {
    if (exited()) return false;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return !WIFEXITED(status);
  }

  int exit_code() const { return exit_code_; }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int exit_code_ = -1;
};

// Writes specs/<name>.yaml for each name: one small cluster each, all in kWorkspace.
inline std::vector<std::string> write_specs(const TempDir& dir, const std::string& prefix, int count) {
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) {
    const std::string name = prefix + "-" + std::to_string(i);
    dir.write("specs/" + name + ".yaml",
              "apiVersion: provision/v1\nkind: RayCluster\nmetadata:\n  name: " + name +
                  "\n  workspaceId: " + kWorkspace +
                  "\n  regionId: cn-hangzhou\nspec:\n"
                  "  displayReleaseVersion: \"ray-1.0.0 (Ray 2.47.1, Python 3.12)\"\n"
                  "  headSpec: {queueName: root_queue, cpu: 2, memory: 8Gi}\n"
                  "  workerSpec:\n    - {groupName: g1, workerType: CPU, replica: 1, queueName: "
                  "root_queue, cpu: 4, memory: 16Gi}\n");
    names.push_back(name);
  }
  return names;
}

// A cluster as the emulator stored it (clusters.json).
struct ServerCluster {
  std::string id;
  std::string name;
  std::string workspace;
  std::string state;
};

inline std::string string_at(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

// The emulator's own record of every cluster, read while it runs or after it stopped:
// the snapshot `<data_dir>/clusters.json` and, where the emulator keeps one, the journal
// `clusters.journal` replayed over it ({"put":<record>} or {"erase":"<id>"} per line; a
// last line without its newline was never answered). The journal is read first: if the
// emulator folds it into a new snapshot in between, replaying the old lines changes no
// id or name.
inline std::vector<ServerCluster> server_clusters(const fs::path& data_dir) {
  const fs::path journal_file = data_dir / "clusters.journal";
  const std::string journal = fs::exists(journal_file) ? read_file(journal_file) : std::string();
  std::map<std::string, ServerCluster> by_id;
  auto put = [&](const json::value& record) {
    const auto& o = record.as_object();
    const std::string id = string_at(o, "clusterId");
    by_id[id] = {id, string_at(o.at("spec").as_object(), "name"), string_at(o, "workspaceId"),
                 string_at(o, "state")};
  };
  const fs::path file = data_dir / "clusters.json";
  if (fs::exists(file)) {
    const json::value doc = json::parse(read_file(file));
    for (const auto& c : doc.at("clusters").as_array()) put(c);
  }
  for (std::size_t at = 0, end; (end = journal.find('\n', at)) != std::string::npos; at = end + 1) {
    const json::value line = json::parse(journal.substr(at, end - at));
    if (const auto* record = line.as_object().if_contains("put")) put(*record);
    if (const auto* id = line.as_object().if_contains("erase")) by_id.erase(std::string(id->as_string()));
  }
  std::vector<ServerCluster> out;
  for (auto& [id, c] : by_id) out.push_back(std::move(c));
  return out;
}

// A record of the state file, read raw (the format of doc/state-format.md).
struct StateRecord {
  std::string name;
  std::string id;
  std::string phase;
};

// The records of a local state read raw (reliability_support.hpp), in identity order.
inline std::vector<StateRecord> state_records(const fs::path& state_file) {
  std::vector<StateRecord> out;
  for (const auto& o : local_state_records(state_file))
    out.push_back({string_at(o, "name"), string_at(o, "clusterId"), string_at(o, "phase")});
  return out;
}

// True when a save was cut short: a snapshot's temp file is left, or the journal ends
// in an incomplete batch.
inline bool save_cut_short(const fs::path& state_file) {
  const std::string journal = read_file(fs::path(state_file.string() + ".journal"));
  return fs::exists(fs::path(state_file.string() + ".tmp")) || (!journal.empty() && journal.back() != '\n');
}

// The records as `provision state list --output json` prints them: this goes through the
// product's strict loader (schema, checksum), so it also proves the file is valid.
inline std::vector<StateRecord> listed_state(const RunResult& listing) {
  std::vector<StateRecord> out;
  std::istringstream lines(listing.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    const json::value doc = json::parse(line);
    const auto& o = doc.as_object();
    out.push_back({string_at(o, "name"), string_at(o, "clusterId"), string_at(o, "phase")});
  }
  return out;
}

// Requests of one access log, by action, fault kind and outcome.
struct AccessLogCounts {
  std::size_t requests = 0;
  std::size_t closed = 0;  // status 0: the connection was closed without an answer
  std::size_t errors = 0;  // status >= 400
  std::map<std::string, std::size_t> by_action;
  std::map<std::string, std::size_t> faults;  // by kind
  std::size_t creates_committed = 0;          // CreateRayCluster that made a cluster

  void add(const AccessLogCounts& o) {
    requests += o.requests;
    closed += o.closed;
    errors += o.errors;
    creates_committed += o.creates_committed;
    for (const auto& [k, v] : o.by_action) by_action[k] += v;
    for (const auto& [k, v] : o.faults) faults[k] += v;
  }
};

inline AccessLogCounts access_log_counts(const fs::path& log) {
  AccessLogCounts c;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const json::value doc = json::parse(line);
    const auto& o = doc.as_object();
    ++c.requests;
    const std::string action = string_at(o, "action");
    const std::string fault = string_at(o, "fault");
    const std::int64_t status = o.at("status").to_number<std::int64_t>();
    ++c.by_action[action];
    if (!fault.empty()) ++c.faults[fault];
    if (status == 0) ++c.closed;
    if (status >= 400) ++c.errors;
    const bool committed = status == 200 || fault == "drop-after-commit" || fault == "slow";
    if (action == "CreateRayCluster" && committed) ++c.creates_committed;
  }
  return c;
}

inline const std::vector<std::string>& fault_kinds() {
  static const std::vector<std::string> kinds{"internal-error", "unavailable",       "throttle",
                                              "reset",          "drop-after-commit", "slow"};
  return kinds;
}

// "faults.reset=3 faults.slow=1 ..." for every kind, zeros included.
inline std::string fault_fields(const AccessLogCounts& c) {
  std::string out;
  for (const auto& kind : fault_kinds()) {
    const auto it = c.faults.find(kind);
    out += " faults." + kind + "=" + std::to_string(it == c.faults.end() ? 0 : it->second);
  }
  return out;
}

// How the emulator, the state file and the specs agree.
struct Audit {
  std::size_t server = 0;      // clusters on the emulator
  std::size_t duplicates = 0;  // clusters beyond the first for one name
  std::size_t lost = 0;        // specs without exactly one cluster whose id the state holds
  std::size_t unknown = 0;     // clusters on the emulator whose id the state does not hold
  std::size_t pending = 0;     // state records not in phase "created"
  std::string detail;          // what differed, for the failure message

  bool clean() const { return duplicates == 0 && lost == 0 && unknown == 0 && pending == 0; }
};

inline Audit audit(const std::vector<std::string>& names, const std::vector<ServerCluster>& server,
                   const std::vector<StateRecord>& state) {
  Audit a;
  a.server = server.size();
  std::map<std::string, std::vector<std::string>> ids_by_name;
  std::set<std::string> server_ids;
  for (const auto& c : server) {
    ids_by_name[c.name].push_back(c.id);
    server_ids.insert(c.id);
  }
  for (const auto& [name, ids] : ids_by_name)
    if (ids.size() > 1) {
      a.duplicates += ids.size() - 1;
      a.detail += " duplicate:" + name + "(" + std::to_string(ids.size()) + ")";
    }
  std::map<std::string, StateRecord> state_by_name;
  std::set<std::string> state_ids;
  for (const auto& r : state) {
    state_by_name[r.name] = r;
    state_ids.insert(r.id);
    if (r.phase != "created") {
      ++a.pending;
      a.detail += " pending:" + r.name + "(" + r.phase + ")";
    }
  }
  for (const auto& name : names) {
    const auto it = state_by_name.find(name);
    const auto live = ids_by_name.find(name);
    const bool ok = it != state_by_name.end() && !it->second.id.empty() && server_ids.count(it->second.id) &&
                    live != ids_by_name.end() && live->second.size() == 1;
    if (!ok) {
      ++a.lost;
      a.detail += " lost:" + name;
    }
  }
  for (const auto& id : server_ids)
    if (!state_ids.count(id)) {
      ++a.unknown;
      a.detail += " unknown:" + id;
    }
  return a;
}

}  // namespace provision::test::audit
