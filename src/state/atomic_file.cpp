// POSIX implementation of the atomic replace: the leveldb SetCurrentFile discipline,
// plus a hard-linked backup (the old inode is never written to again).
#include "state/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"

namespace provision::state {
namespace fs = std::filesystem;
const char* step_name(WriteStep step) {
  switch (step) {
    case WriteStep::kCreateTemp:
      return "creating the temporary file";
    case WriteStep::kWriteTemp:
      return "writing the temporary file";
    case WriteStep::kSyncTemp:
      return "flushing the temporary file to disk";
    case WriteStep::kBackup:
      return "keeping the previous version as backup";
    case WriteStep::kRename:
      return "renaming the temporary file into place";
    case WriteStep::kSyncDir:
      return "flushing the directory to disk";
    case WriteStep::kAppend:
      return "appending to the journal";
    case WriteStep::kSyncAppend:
      return "flushing the journal to disk";
  }
  return "?";
}

namespace {

// Closes a descriptor at scope exit.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

class Writer {
 public:
  Writer(const fs::path& path, const FaultHook& fault) : path_(path), fault_(fault) {}

  // Returns errno of a failed step (after the hook had its say), or 0.
  int step(WriteStep s, const std::function<int()>& action) {
    current_ = s;
    if (fault_) {
      if (int injected = fault_(s)) return injected;
    }
    return action() == 0 ? 0 : (errno ? errno : EIO);
  }

  [[noreturn]] void fail(int error, const fs::path& temp) {
    if (!temp.empty()) ::unlink(temp.c_str());
    throw Error(ErrorKind::kState, "cannot save '" + path_.string() + "': " + step_name(current_) + ": " +
                                       std::strerror(error) + "; the previous content is unchanged");
  }

 private:
  fs::path path_;
  const FaultHook& fault_;
  WriteStep current_ = WriteStep::kCreateTemp;
};

}  // namespace

int write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

int sync_directory(const fs::path& dir) {
  Fd d;
  d.fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  return d.fd < 0 ? -1 : ::fsync(d.fd);
}

namespace {

// A hard link keeps the old bytes without copying them; a copy is the fallback
// where links are not supported.
int keep_backup(const fs::path& path, const fs::path& backup) {
  fs::path temp = backup;
  temp += ".tmp";
  ::unlink(temp.c_str());
  if (::link(path.c_str(), temp.c_str()) != 0) {
    if (errno == ENOENT) return 0;  // nothing to back up yet
    std::error_code ec;
    if (!fs::copy_file(path, temp, fs::copy_options::overwrite_existing, ec)) {
      errno = ec.value();
      return -1;
    }
  }
  if (::rename(temp.c_str(), backup.c_str()) != 0) {
    int saved = errno;
    ::unlink(temp.c_str());
    errno = saved;
    return -1;
  }
  return 0;
}

FileStamp to_stamp(const struct stat& st) {
  FileStamp s;
  s.device = static_cast<std::uint64_t>(st.st_dev);
  s.inode = static_cast<std::uint64_t>(st.st_ino);
  s.size = static_cast<std::uint64_t>(st.st_size);
  s.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return s;
}

}  // namespace

std::optional<FileStamp> stamp_of(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return to_stamp(st);
}

void replace_file_atomically(const fs::path& path, std::string_view bytes, const fs::path& backup,
                             const FaultHook& fault, FileStamp* written) {
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throw Error(ErrorKind::kState, "cannot save '" + path.string() + "': cannot create folder '" +
                                       dir.string() + "': " + ec.message());
  fs::path temp = path;
  temp += ".tmp";
  Writer w(path, fault);
  Fd file;
  int e = w.step(WriteStep::kCreateTemp, [&] {
    file.fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    return file.fd < 0 ? -1 : 0;
  });
  if (e) w.fail(e, file.fd >= 0 ? temp : fs::path());
  if ((e = w.step(WriteStep::kWriteTemp, [&] { return write_all(file.fd, bytes); }))) w.fail(e, temp);
  if ((e = w.step(WriteStep::kSyncTemp, [&] { return ::fsync(file.fd); }))) w.fail(e, temp);
  if (written) {
    struct stat st {};
    if (::fstat(file.fd, &st) != 0) w.fail(errno ? errno : EIO, temp);
    *written = to_stamp(st);
  }
  ::close(file.fd);
  file.fd = -1;
  if (!backup.empty() && (e = w.step(WriteStep::kBackup, [&] { return keep_backup(path, backup); })))
    w.fail(e, temp);
  if ((e = w.step(WriteStep::kRename, [&] { return ::rename(temp.c_str(), path.c_str()); }))) w.fail(e, temp);
  // After the rename the new content is in place; a failed directory sync means it
  // might not survive a power loss, which the caller must still hear about.
  e = w.step(WriteStep::kSyncDir, [&] { return sync_directory(dir); });
  if (e)
    throw Error(ErrorKind::kState,
                "saved '" + path.string() + "' but flushing its folder to disk failed: " + std::strerror(e));
}

bool read_file_chunks(const fs::path& path, std::size_t limit, FileStamp* stamp,
                      const std::function<void(std::string_view)>& chunk) {
  Fd file;
  file.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file.fd < 0) {
    if (errno == ENOENT) return false;
    throw Error(ErrorKind::kState, "cannot read '" + path.string() + "': " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(file.fd, &st) != 0)
    throw Error(ErrorKind::kState, "cannot read '" + path.string() + "': " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw Error(ErrorKind::kState, "'" + path.string() + "' is not a regular file");
  if (stamp) *stamp = to_stamp(st);
  auto too_large = [&] {
    return Error(ErrorKind::kState,
                 "'" + path.string() + "' is larger than " + std::to_string(limit) + " bytes");
  };
  if (static_cast<std::size_t>(st.st_size) > limit) throw too_large();
  std::size_t total = 0;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(file.fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(ErrorKind::kState, "cannot read '" + path.string() + "': " + std::strerror(errno));
    if (n == 0) break;
    total += static_cast<std::size_t>(n);
    // The file may have grown since fstat.
    if (total > limit) throw too_large();
    chunk(std::string_view(buffer, static_cast<std::size_t>(n)));
  }
  return true;
}

std::optional<std::string> read_file_if_exists(const fs::path& path, std::size_t limit, FileStamp* stamp) {
  FileStamp own;
  FileStamp* const seen = stamp ? stamp : &own;
  std::string content;
  const bool exists = read_file_chunks(path, limit, seen, [&](std::string_view piece) {
    // Sized once from the file, so the text is not regrown (and copied) chunk by chunk.
    if (content.empty()) content.reserve(static_cast<std::size_t>(seen->size));
    content.append(piece);
  });
  if (!exists) return std::nullopt;
  return content;
}

}  // namespace provision::state
