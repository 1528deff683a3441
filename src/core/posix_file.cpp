// The descriptor, write, stamp and bounded-read half of the POSIX file module.
#include "core/posix_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"

namespace provision::posix {
namespace fs = std::filesystem;

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

std::string errno_message(int error) {
  char buffer[256];
  // The GNU strerror_r returns the message, which may or may not be in `buffer`.
  return ::strerror_r(error, buffer, sizeof buffer);
}

int last_errno() { return errno ? errno : EIO; }

int write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

int sync_directory(const fs::path& dir) {
  UniqueFd d(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  return d ? ::fsync(d.get()) : -1;
}

namespace {

FileStamp to_stamp(const struct stat& st) {
  FileStamp s;
  s.device = static_cast<std::uint64_t>(st.st_dev);
  s.inode = static_cast<std::uint64_t>(st.st_ino);
  s.size = static_cast<std::uint64_t>(st.st_size);
  s.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return s;
}

[[noreturn]] void cannot_read(const fs::path& path, int error) {
  throw Error(ErrorKind::kState, "cannot read '" + path.string() + "': " + errno_message(error));
}

}  // namespace

std::optional<FileStamp> stamp_of(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return to_stamp(st);
}

std::optional<FileStamp> stamp_of_fd(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return std::nullopt;
  return to_stamp(st);
}

bool read_file_chunks(const fs::path& path, std::size_t limit, FileStamp* stamp,
                      const std::function<void(std::string_view)>& chunk, ReadableKinds kinds) {
  UniqueFd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!file) {
    if (errno == ENOENT) return false;
    cannot_read(path, last_errno());
  }
  struct stat st {};
  if (::fstat(file.get(), &st) != 0) cannot_read(path, last_errno());
  const bool pipe_ok =
      kinds == ReadableKinds::kRegularOrPipe && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode));
  if (!S_ISREG(st.st_mode) && !pipe_ok)
    throw Error(ErrorKind::kState, "'" + path.string() + "' is not a regular file");
  if (stamp) *stamp = to_stamp(st);
  auto too_large = [&] {
    return Error(ErrorKind::kState,
                 "'" + path.string() + "' is larger than " + std::to_string(limit) + " bytes");
  };
  if (static_cast<std::size_t>(st.st_size) > limit) throw too_large();
  std::size_t total = 0;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(file.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) cannot_read(path, last_errno());
    if (n == 0) break;
    total += static_cast<std::size_t>(n);
    // The file may have grown since fstat.
    if (total > limit) throw too_large();
    chunk(std::string_view(buffer, static_cast<std::size_t>(n)));
  }
  return true;
}

std::optional<std::string> read_file_if_exists(const fs::path& path, std::size_t limit, FileStamp* stamp,
                                               ReadableKinds kinds) {
  FileStamp own;
  FileStamp* const seen = stamp ? stamp : &own;
  std::string content;
  const bool exists = read_file_chunks(
      path, limit, seen,
      [&](std::string_view piece) {
        // Sized once from the file, so the text is not regrown (and copied) chunk by chunk.
        if (content.empty()) content.reserve(static_cast<std::size_t>(seen->size));
        content.append(piece);
      },
      kinds);
  if (!exists) return std::nullopt;
  return content;
}

}  // namespace provision::posix
