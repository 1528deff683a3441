// The state lock between real processes: contention names the holder, waiting
// works, and a holder killed with SIGKILL leaves no stale lock.
#include "state/state_lock.hpp"

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "core/error.hpp"
#include "support/temp_dir.hpp"

using namespace provision;
using namespace provision::state;
using provision::test::TempDir;
using namespace std::chrono_literals;

namespace {

const FixedClock kClock(std::chrono::system_clock::time_point(std::chrono::seconds(1'795'000'000)));

// A child process that takes the lock, reports through a pipe, then holds it for
// `hold` (or until killed).
pid_t spawn_holder(const std::filesystem::path& lock, std::chrono::milliseconds hold) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(fds[0]);
    try {
      StateLock held(lock, "provision apply", kClock);
      [[maybe_unused]] auto n = ::write(fds[1], "x", 1);
      std::this_thread::sleep_for(hold);
    } catch (...) {
      ::_exit(2);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  char c = 0;
  REQUIRE(::read(fds[0], &c, 1) == 1);
  ::close(fds[0]);
  return child;
}

// The refusal's message; `hint` gets its advice.
std::string lock_error(const std::filesystem::path& lock, std::chrono::milliseconds timeout,
                       Hint* hint = nullptr) {
  try {
    StateLock second(lock, "provision destroy", kClock, timeout);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kLocked);
    if (hint) *hint = e.hint();
    return e.what();
  }
  return "";
}

int wait_child(pid_t child) {
  int status = 0;
  ::waitpid(child, &status, 0);
  return status;
}

}  // namespace

TEST_CASE("a second process fails at once, naming the holder") {
  TempDir dir;
  const auto lock = dir / ".provision/state.json.lock";
  pid_t child = spawn_holder(lock, 30s);
  Hint hint;
  const std::string message = lock_error(lock, 0ms, &hint);
  CHECK(message.find("state is locked by pid " + std::to_string(child) + " on ") != std::string::npos);
  CHECK(message.find("(provision apply, since 2026-") != std::string::npos);
  // Refused at once: waiting is the advice, worded by the CLI (it names --lock-timeout).
  CHECK(hint.kind == HintKind::kLockTimeout);
  CHECK(message.find("--") == std::string::npos);
  ::kill(child, SIGKILL);
  int status = wait_child(child);
  CHECK(WIFSIGNALED(status));
  // Killed with -9: the kernel released the lock, nothing is stale.
  StateLock mine(lock, "provision apply", kClock);
  CHECK(mine.holder().pid == ::getpid());
  LockHolder recorded;
  CHECK(read_lock_holder(lock, recorded));
  CHECK(recorded.command == "provision apply");
}

TEST_CASE("waiting for the lock succeeds when the holder finishes in time, and times out otherwise") {
  TempDir dir;
  const auto lock = dir / "state.json.lock";
  pid_t quick = spawn_holder(lock, 300ms);
  {
    StateLock waited(lock, "provision apply", kClock, 20s);
    CHECK(waited.holder().pid == ::getpid());
  }
  wait_child(quick);

  pid_t slow = spawn_holder(lock, 30s);
  Hint hint = hint_of(HintKind::kLockTimeout);
  const std::string message = lock_error(lock, 200ms, &hint);
  CHECK(message.find("still locked after waiting 200ms") != std::string::npos);
  CHECK(!hint);  // it waited already: nothing to advise
  ::kill(slow, SIGKILL);
  wait_child(slow);
}

TEST_CASE("the lock is exclusive within one process and released by its destructor") {
  TempDir dir;
  const auto lock = dir / "state.json.lock";
  {
    StateLock first(lock, "provision apply", kClock);
    CHECK(lock_error(lock, 0ms).find("pid " + std::to_string(::getpid())) != std::string::npos);
  }
  StateLock again(lock, "provision apply", kClock);
  CHECK(true);
}
