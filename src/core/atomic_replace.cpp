// The crash-safe replace of the POSIX file module: the leveldb SetCurrentFile discipline,
// plus a hard-linked backup (the old inode is never written to again).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "core/error.hpp"
#include "core/posix_file.hpp"

namespace provision::posix {
namespace fs = std::filesystem;

const char* step_name(WriteStep step) {
  switch (step) {
    case WriteStep::kCreateTemp:
      return "creating the temporary file";
    case WriteStep::kSetMode:
      return "setting the temporary file's permissions";
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

fs::path temp_path_for(const fs::path& path, bool per_process) {
  fs::path temp = path;
  temp += per_process ? ".tmp." + std::to_string(::getpid()) : std::string(".tmp");
  return temp;
}

namespace {

// Runs the steps of one replace; the first failure removes the temp file and throws.
class Replace {
 public:
  Replace(const fs::path& path, const FaultHook& fault) : path_(path), fault_(fault) {}

  // Runs `action` (0 or -1 with errno) unless the hook fails the step first.
  template <typename Action>
  void step(WriteStep s, const fs::path& temp, Action&& action) {
    int error = fault_ ? fault_(s) : 0;
    if (!error && action() != 0) error = last_errno();
    if (error) fail(s, error, temp);
  }

  [[noreturn]] void fail(WriteStep s, int error, const fs::path& temp) {
    ::unlink(temp.c_str());
    throw Error(ErrorKind::kState, "cannot save '" + path_.string() + "': " + step_name(s) + ": " +
                                       errno_message(error) + "; the previous content is unchanged");
  }

 private:
  const fs::path& path_;
  const FaultHook& fault_;
};

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
    const int saved = errno;
    ::unlink(temp.c_str());
    errno = saved;
    return -1;
  }
  return 0;
}

}  // namespace

void replace_file_atomically(const fs::path& path, std::string_view bytes, const ReplaceOptions& options) {
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  if (options.create_parent) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
      throw Error(ErrorKind::kState, "cannot save '" + path.string() + "': cannot create folder '" +
                                         dir.string() + "': " + ec.message());
  }
  const fs::path temp = temp_path_for(path, options.temp_per_process);
  Replace r(path, options.fault);
  UniqueFd file;
  const mode_t mode = static_cast<mode_t>(options.mode.value_or(0644));
  r.step(WriteStep::kCreateTemp, temp, [&] {
    file.reset(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
    return file ? 0 : -1;
  });
  // open() applies the umask; an exact mode keeps key files private whatever it is.
  if (options.mode) r.step(WriteStep::kSetMode, temp, [&] { return ::fchmod(file.get(), mode); });
  r.step(WriteStep::kWriteTemp, temp, [&] { return write_all(file.get(), bytes); });
  r.step(WriteStep::kSyncTemp, temp, [&] { return ::fsync(file.get()); });
  if (options.written) {
    const std::optional<FileStamp> stamp = stamp_of_fd(file.get());
    if (!stamp) r.fail(WriteStep::kSyncTemp, last_errno(), temp);
    *options.written = *stamp;
  }
  file.reset();
  if (!options.backup.empty())
    r.step(WriteStep::kBackup, temp, [&] { return keep_backup(path, options.backup); });
  r.step(WriteStep::kRename, temp, [&] { return ::rename(temp.c_str(), path.c_str()); });
  // After the rename the new content is in place; a failed directory sync means it
  // might not survive a power loss, which the caller must still hear about.
  int error = options.fault ? options.fault(WriteStep::kSyncDir) : 0;
  if (!error && sync_directory(dir) != 0) error = last_errno();
  if (error)
    throw Error(ErrorKind::kState, "saved '" + path.string() +
                                       "' but flushing its folder to disk failed: " + errno_message(error));
}

}  // namespace provision::posix
