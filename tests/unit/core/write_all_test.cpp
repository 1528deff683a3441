// write_all against the two things that stop a write early: a signal (EINTR, or a short
// count) and a pipe that takes only part of the bytes at a time.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

#include "core/posix_file.hpp"

using provision::posix::write_all;

namespace {

std::atomic<int> interruptions{0};
void count_interruption(int) { interruptions.fetch_add(1, std::memory_order_relaxed); }

}  // namespace

TEST_CASE("write_all delivers every byte through a slow pipe while a timer interrupts it") {
  // Without SA_RESTART, a signal during a blocked write ends it early: EINTR, or a short count.
  struct sigaction action {};
  action.sa_handler = count_interruption;
  struct sigaction saved {};
  REQUIRE(::sigaction(SIGALRM, &action, &saved) == 0);
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::string bytes(4 << 20, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 131 % 251);
  std::string received;
  std::thread reader([&] {
    sigset_t alarm;
    sigemptyset(&alarm);
    sigaddset(&alarm, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &alarm, nullptr);  // the writer gets the signals
    char buffer[4096];
    for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) received.append(buffer, n);
  });
  itimerval every_ms{{0, 1000}, {0, 1000}};
  ::setitimer(ITIMER_REAL, &every_ms, nullptr);
  const int result = write_all(fds[1], bytes);
  itimerval off{};
  ::setitimer(ITIMER_REAL, &off, nullptr);
  ::close(fds[1]);
  reader.join();
  ::close(fds[0]);
  ::sigaction(SIGALRM, &saved, nullptr);
  CHECK(result == 0);
  CHECK(received.size() == bytes.size());
  CHECK(received == bytes);
  MESSAGE("timer signals during the write: " << interruptions.load());
}

TEST_CASE("write_all reports the errno of a write that cannot go on") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  ::close(fds[0]);
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction saved {};
  REQUIRE(::sigaction(SIGPIPE, &ignore, &saved) == 0);
  errno = 0;
  const int result = write_all(fds[1], "x");
  const int error = errno;  // before doctest's own output can change it
  CHECK(result == -1);
  CHECK(error == EPIPE);
  ::sigaction(SIGPIPE, &saved, nullptr);
  ::close(fds[1]);
}
