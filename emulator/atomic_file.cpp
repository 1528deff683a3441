// temp + fsync + rename + fsync(dir), the same discipline as the state file.
#include "emulator/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace provision::emulator {
namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path, int err) {
  throw Error(ErrorKind::kState, what + " " + path.string() + ": " + std::strerror(err));
}

// Closes a descriptor at scope exit.
struct FdGuard {
  int fd;
  ~FdGuard() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

void fsync_directory(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail("cannot open directory", dir, errno);
  FdGuard guard{fd};
  if (::fsync(fd) != 0) fail("cannot fsync directory", dir, errno);
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content, unsigned mode) {
  std::filesystem::path dir = path.parent_path().empty() ? "." : path.parent_path();
  std::filesystem::path temp = path;
  temp += ".tmp." + std::to_string(::getpid());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, static_cast<mode_t>(mode));
  if (fd < 0) fail("cannot create", temp, errno);
  {
    FdGuard guard{fd};
    // open() applies the umask; make the mode exact so key files stay private.
    if (::fchmod(fd, static_cast<mode_t>(mode)) != 0) fail("cannot chmod", temp, errno);
    std::size_t done = 0;
    while (done < content.size()) {
      ssize_t n = ::write(fd, content.data() + done, content.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        int err = errno;
        ::unlink(temp.c_str());
        fail("cannot write", temp, err);
      }
      done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
      int err = errno;
      ::unlink(temp.c_str());
      fail("cannot fsync", temp, err);
    }
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(temp.c_str());
    fail("cannot rename into", path, err);
  }
  fsync_directory(dir);
}

std::optional<std::string> read_file_if_exists(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::nullopt;
    fail("cannot read", path, EACCES);
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace provision::emulator
