// An OS lock (flock) on "<state>.lock" held for the life of a command, with a
// holder record so that a second process can say who holds it. The kernel drops
// the lock when the holder exits or is killed, so it is never stale.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "core/clock.hpp"
#include "core/hint.hpp"

namespace provision::state {

// Who holds the lock, as written into the lock file.
struct LockHolder {
  long pid = 0;
  std::string host;
  std::string command;  // e.g. "provision apply"
  std::string since;    // ISO 8601 UTC
};

// "pid 1234 on host (provision apply, since 2026-...)"
std::string describe(const LockHolder& holder);

class StateLock {
 public:
  // Takes the lock on `lock_path` (creating the file and its folder), waiting up to
  // `timeout` (zero: fail at once). Throws Error(kLocked) naming the holder, or
  // Error(kState) if the lock file cannot be opened.
  StateLock(const std::filesystem::path& lock_path, const std::string& command, const Clock& clock,
            std::chrono::milliseconds timeout = std::chrono::milliseconds(0));
  ~StateLock();
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;

  const LockHolder& holder() const { return holder_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  LockHolder holder_;
};

// The advice for a held lock: a refusal after no wait can wait next time (the CLI says
// how); after a wait, there is nothing to add.
Hint lock_wait_hint(std::chrono::milliseconds waited);

// The holder record in a lock file, if it has a readable one.
bool read_lock_holder(const std::filesystem::path& lock_path, LockHolder& holder);

}  // namespace provision::state
