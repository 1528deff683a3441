// Runs real executables from tests: capture output and exit code, or keep a
// server process in the background and stop it at scope exit.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace provision::test {

struct RunResult {
  int exit_code = -1;  // -1 when killed by a signal (see signal)
  int signal = 0;
  int pid = 0;          // the child's process id (lets tests match "locked by pid N")
  long max_rss_kb = 0;  // the child's peak resident set (wait4 rusage), in KiB
  std::string out;
  std::string err;
};

struct RunOptions {
  std::string stdin_data;
  std::map<std::string, std::string> env;  // added to (or overriding) the parent's
  std::vector<std::string> unset_env;
  std::string cwd;
  std::chrono::milliseconds timeout{120'000};
  // setrlimit(resource, {value, value}) in the child before exec, e.g. {RLIMIT_FSIZE, 4096}
  // for a full disk. With RLIMIT_FSIZE the child also ignores SIGXFSZ, so an oversized
  // write() fails with EFBIG instead of killing the process.
  std::vector<std::pair<int, unsigned long long>> rlimits;
};

// Runs argv[0] (a path) with arguments; never throws for a non-zero exit.
RunResult run(const std::vector<std::string>& argv, const RunOptions& options = {});

// A child process that keeps running until stop() or destruction (SIGTERM, then SIGKILL).
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const RunOptions& options = {});
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  // Waits until stdout contains `needle`; returns everything read so far.
  std::string wait_for_output(const std::string& needle,
                              std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Sends `sig` and waits for exit; returns the exit status as RunResult.
  RunResult stop(int sig = 15, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  int pid() const { return pid_; }
  const std::string& output() const { return out_; }

 private:
  int pid_ = -1;
  int out_fd_ = -1;
  std::string out_;
  bool stopped_ = false;
};

}  // namespace provision::test
