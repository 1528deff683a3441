// fork/exec helpers for tests that drive the real binaries.
#include "support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <thread>

namespace provision::test {
namespace {

using Clock = std::chrono::steady_clock;

// Everything the child needs, built before fork: between fork and exec a child of a
// multithreaded parent may only make async-signal-safe calls. (A malloc there can deadlock
// on a lock another thread held at the fork; ASan's allocator did, hanging readers in the
// concurrency test.)
struct ExecPlan {
  std::vector<std::string> strings;  // argv, then the environment
  std::vector<char*> argv;
  std::vector<char*> envp;
};

ExecPlan prepare(const std::vector<std::string>& argv, const RunOptions& options) {
  ExecPlan plan;
  plan.strings = argv;
  const std::size_t env_start = plan.strings.size();
  auto overridden = [&](std::string_view entry) {
    const std::string_view name = entry.substr(0, entry.find('='));
    for (const auto& u : options.unset_env)
      if (name == u) return true;
    return options.env.count(std::string(name)) > 0;
  };
  for (char** e = environ; *e != nullptr; ++e)
    if (!overridden(*e)) plan.strings.emplace_back(*e);
  for (const auto& [k, v] : options.env) plan.strings.push_back(k + "=" + v);
  for (std::size_t i = 0; i < plan.strings.size(); ++i)
    (i < env_start ? plan.argv : plan.envp).push_back(plan.strings[i].data());
  plan.argv.push_back(nullptr);
  plan.envp.push_back(nullptr);
  return plan;
}

// In the child after fork: only async-signal-safe calls.
[[noreturn]] void exec_child(const ExecPlan& plan, const RunOptions& options) {
  if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) != 0) _exit(126);
  for (const auto& [resource, value] : options.rlimits) {
    const rlimit limit{static_cast<rlim_t>(value), static_cast<rlim_t>(value)};
    if (::setrlimit(static_cast<decltype(RLIMIT_FSIZE)>(resource), &limit) != 0) _exit(125);
    // An ignored signal stays ignored across exec: write() then fails with EFBIG.
    if (resource == RLIMIT_FSIZE) ::signal(SIGXFSZ, SIG_IGN);
  }
  ::execve(plan.argv[0], plan.argv.data(), plan.envp.data());
  _exit(127);
}

// Pipes closed on exec, so that a child forked by another thread at the same moment
// does not keep this child's pipes open after it exits.
void make_pipe(int fds[2]) {
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

RunResult status_to_result(int status) {
  RunResult r;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  return r;
}

}  // namespace

RunResult run(const std::vector<std::string>& argv, const RunOptions& options) {
  // A child that stops reading stdin early must not kill the test with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  int in_pipe[2], out_pipe[2], err_pipe[2];
  make_pipe(in_pipe);
  make_pipe(out_pipe);
  make_pipe(err_pipe);
  const ExecPlan plan = prepare(argv, options);
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(in_pipe[0], 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) ::close(fd);
    exec_child(plan, options);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  set_nonblocking(in_pipe[1]);
  set_nonblocking(out_pipe[0]);
  set_nonblocking(err_pipe[0]);

  RunResult result;
  std::size_t written = 0;
  int in_fd = in_pipe[1];
  if (options.stdin_data.empty()) {
    ::close(in_fd);
    in_fd = -1;
  }
  const auto deadline = Clock::now() + options.timeout;
  bool out_open = true, err_open = true;
  char buf[65536];
  while (out_open || err_open) {
    std::vector<pollfd> fds;
    if (out_open) fds.push_back({out_pipe[0], POLLIN, 0});
    if (err_open) fds.push_back({err_pipe[0], POLLIN, 0});
    if (in_fd >= 0) fds.push_back({in_fd, POLLOUT, 0});
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      ::kill(pid, SIGKILL);
      break;
    }
    ::poll(fds.data(), fds.size(), static_cast<int>(std::min<long long>(left, 200)));
    for (auto& p : fds) {
      if (p.fd == in_fd && (p.revents & (POLLOUT | POLLERR | POLLHUP))) {
        ssize_t n = ::write(in_fd, options.stdin_data.data() + written, options.stdin_data.size() - written);
        if (n > 0) written += static_cast<std::size_t>(n);
        if (n < 0 && errno != EAGAIN) written = options.stdin_data.size();
        if (written >= options.stdin_data.size()) {
          ::close(in_fd);
          in_fd = -1;
        }
        continue;
      }
      if (!(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(p.fd, buf, sizeof buf);
      if (n > 0) {
        (p.fd == out_pipe[0] ? result.out : result.err).append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EAGAIN) {
        (p.fd == out_pipe[0] ? out_open : err_open) = false;
      }
    }
  }
  if (in_fd >= 0) ::close(in_fd);
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  int status = 0;
  struct rusage usage {};
  ::wait4(pid, &status, 0, &usage);
  auto st = status_to_result(status);
  result.exit_code = st.exit_code;
  result.signal = st.signal;
  result.pid = pid;
  result.max_rss_kb = usage.ru_maxrss;
  return result;
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv, const RunOptions& options) {
  int out_pipe[2];
  make_pipe(out_pipe);
  const ExecPlan plan = prepare(argv, options);
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::dup2(out_pipe[1], 1);
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    exec_child(plan, options);
  }
  ::close(out_pipe[1]);
  out_fd_ = out_pipe[0];
  set_nonblocking(out_fd_);
}

BackgroundProcess::~BackgroundProcess() {
  if (!stopped_) stop(SIGKILL);
  if (out_fd_ >= 0) ::close(out_fd_);
}

std::string BackgroundProcess::wait_for_output(const std::string& needle, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  char buf[4096];
  while (out_.find(needle) == std::string::npos && Clock::now() < deadline) {
    pollfd p{out_fd_, POLLIN, 0};
    ::poll(&p, 1, 100);
    ssize_t n = ::read(out_fd_, buf, sizeof buf);
    if (n > 0) out_.append(buf, static_cast<std::size_t>(n));
    if (n == 0) break;  // child closed stdout (exited)
  }
  return out_;
}

RunResult BackgroundProcess::stop(int sig, std::chrono::milliseconds timeout) {
  if (stopped_) return {};
  stopped_ = true;
  ::kill(pid_, sig);
  const auto deadline = Clock::now() + timeout;
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (Clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  char buf[4096];
  ssize_t n;
  while ((n = ::read(out_fd_, buf, sizeof buf)) > 0) out_.append(buf, static_cast<std::size_t>(n));
  auto r = status_to_result(status);
  r.out = out_;
  return r;
}

}  // namespace provision::test
