// flock-based state lock. flock (not fcntl) because fcntl locks vanish when any
// descriptor of the file is closed by the process, and are not exclusive within one.
#include "state/state_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <thread>

#include "core/error.hpp"

namespace provision::state {
namespace fs = std::filesystem;
namespace json = boost::json;
namespace {

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown-host";
  return name;
}

std::string encode_holder(const LockHolder& h) {
  json::object o{{"pid", h.pid}, {"host", h.host}, {"command", h.command}, {"since", h.since}};
  return json::serialize(o) + "\n";
}

std::string seconds_text(std::chrono::milliseconds d) {
  auto ms = d.count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + "s" : std::to_string(ms) + "ms";
}

[[noreturn]] void locked(const fs::path& lock_path, std::chrono::milliseconds waited) {
  LockHolder holder;
  std::string who;
  // A holder that has just taken the lock may not have written its record yet.
  for (int i = 0; i < 20; ++i) {
    if (read_lock_holder(lock_path, holder)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  who = holder.pid ? describe(holder) : "another process (no holder record)";
  std::string message = "state is locked by " + who;
  if (waited.count() > 0) message += "; still locked after waiting " + seconds_text(waited);
  message += " (lock file '" + lock_path.string() + "'); wait for it to finish";
  throw Error(ErrorKind::kLocked, message, lock_wait_hint(waited));
}

}  // namespace

Hint lock_wait_hint(std::chrono::milliseconds waited) {
  return waited.count() > 0 ? Hint{} : hint_of(HintKind::kLockTimeout);
}

std::string describe(const LockHolder& holder) {
  return "pid " + std::to_string(holder.pid) + " on " + holder.host + " (" + holder.command + ", since " +
         holder.since + ")";
}

bool read_lock_holder(const fs::path& lock_path, LockHolder& holder) {
  int fd = ::open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buffer[4096];
  ssize_t n = ::read(fd, buffer, sizeof buffer);
  ::close(fd);
  if (n <= 0) return false;
  boost::system::error_code ec;
  json::value v = json::parse(std::string_view(buffer, static_cast<std::size_t>(n)), ec);
  if (ec || !v.is_object()) return false;
  const auto& o = v.get_object();
  auto text = [&](const char* key) {
    const json::value* f = o.if_contains(key);
    return f && f->is_string() ? std::string(f->get_string()) : std::string("?");
  };
  const json::value* pid = o.if_contains("pid");
  if (!pid || !pid->is_int64()) return false;
  holder.pid = static_cast<long>(pid->get_int64());
  holder.host = text("host");
  holder.command = text("command");
  holder.since = text("since");
  return true;
}

StateLock::StateLock(const fs::path& lock_path, const std::string& command, const Clock& clock,
                     std::chrono::milliseconds timeout)
    : path_(lock_path) {
  std::error_code ec;
  if (!lock_path.parent_path().empty()) fs::create_directories(lock_path.parent_path(), ec);
  fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw Error(ErrorKind::kState,
                "cannot open lock file '" + lock_path.string() + "': " + std::strerror(errno));
  const auto start = std::chrono::steady_clock::now();
  auto pause = std::chrono::milliseconds(50);
  while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    if (error == EINTR) continue;
    if (error != EWOULDBLOCK) {
      ::close(fd_);
      throw Error(ErrorKind::kState, "cannot lock '" + lock_path.string() + "': " + std::strerror(error));
    }
    const auto waited =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    if (waited >= timeout) {
      ::close(fd_);
      fd_ = -1;
      locked(lock_path, timeout);
    }
    std::this_thread::sleep_for(std::min(pause, timeout - waited));
    pause = std::min(pause * 2, std::chrono::milliseconds(1000));
  }
  holder_ = {static_cast<long>(::getpid()), host_name(), command, format_iso8601_utc(clock.now())};
  const std::string record = encode_holder(holder_);
  // The record only explains the lock; failing to write it does not weaken the lock.
  if (::ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] const ssize_t written = ::pwrite(fd_, record.data(), record.size(), 0);
  }
}

StateLock::~StateLock() {
  if (fd_ < 0) return;
  // Clear the record while still holding the lock, so it never names a finished process.
  [[maybe_unused]] const int cleared = ::ftruncate(fd_, 0);
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
}

}  // namespace provision::state
