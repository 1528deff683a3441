// The POSIX file operations the state and the emulator share: an owned descriptor, a
// write that finishes, crash-safe replacement (temp, fsync, rename, fsync of the
// directory) and a bounded read. Failures throw Error(kState) naming the file and the
// real errno; a fault hook lets tests fail or crash any step of a write.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace provision::posix {

// Owns one file descriptor and closes it at scope exit (-1: none).
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  // Gives up ownership without closing.
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  // Closes the current descriptor (if any) and owns `fd` instead.
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// The text of an errno value ("No space left on device"), thread-safe.
std::string errno_message(int error);

// errno after a failed call, or EIO if the call failed without setting it.
int last_errno();

// Writes every byte, retrying after EINTR and short writes: 0, or -1 with errno set.
int write_all(int fd, std::string_view bytes);

// Flushes a folder's entries (a created, renamed or removed file) to disk: 0, or -1 with errno.
int sync_directory(const std::filesystem::path& dir);

// The steps of replace_file_atomically, in order, and of a journal append (the state's
// local store), for fault injection in tests.
enum class WriteStep {
  kCreateTemp,
  kSetMode,
  kWriteTemp,
  kSyncTemp,
  kBackup,
  kRename,
  kSyncDir,
  kAppend,
  kSyncAppend
};

// "writing the temporary file", "appending to the journal", ...
const char* step_name(WriteStep step);

// Test hook called before each step: return an errno value to make that step
// fail as if the OS had returned it (0 to go on). It may also _exit() to crash.
using FaultHook = std::function<int(WriteStep)>;

// What identifies one version of a file without reading it: a new file (another inode)
// or a write in place (another size or modification time) gives another stamp.
struct FileStamp {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

// The stamp of `path`, or nothing if it does not exist (or cannot be examined).
std::optional<FileStamp> stamp_of(const std::filesystem::path& path);
// The stamp of an open file, or nothing (errno set) if fstat fails.
std::optional<FileStamp> stamp_of_fd(int fd);

// How replace_file_atomically writes; the defaults suit a file only its owner writes.
struct ReplaceOptions {
  // Keep the old content here first, if `path` exists (empty: no backup).
  std::filesystem::path backup;
  // The exact permission of the new file; nothing: 0644 less the umask.
  std::optional<unsigned> mode;
  // Create the parent folder if it is missing (otherwise that is an error).
  bool create_parent = false;
  // Name the temp file "<path>.tmp.<pid>" rather than "<path>.tmp", for writers that hold
  // no lock (two processes must not share one temp file).
  bool temp_per_process = false;
  FaultHook fault;
  // Receives the stamp of the new file (taken from the file itself, so an outside change
  // after the rename cannot be mistaken for ours).
  FileStamp* written = nullptr;
};

// The temp file replace_file_atomically writes beside `path`.
std::filesystem::path temp_path_for(const std::filesystem::path& path, bool per_process);

// Replaces `path` with `bytes` so that a crash or error at any point leaves either the
// old or the new content, never a mix. Throws Error(kState) naming the file, the failed
// step and the errno; the temp file is removed on every failure path.
void replace_file_atomically(const std::filesystem::path& path, std::string_view bytes,
                             const ReplaceOptions& options = {});

// Which kinds of file a read accepts: the state wants a regular file only; a key file
// may also come through a pipe (`--access-keys <(...)`, /dev/stdin).
enum class ReadableKinds { kRegularOnly, kRegularOrPipe };

// Reads `path` piece by piece (at most 64 KiB each) into `chunk`; false if the file does
// not exist. Throws Error(kState) if it is not a kind `kinds` accepts ("is not a regular
// file"), cannot be read (with the real errno), or is larger than `limit` bytes. With
// `stamp`, receives the stamp of the file that was read (taken before reading).
bool read_file_chunks(const std::filesystem::path& path, std::size_t limit, FileStamp* stamp,
                      const std::function<void(std::string_view)>& chunk,
                      ReadableKinds kinds = ReadableKinds::kRegularOnly);

// The whole content of `path`, or nothing if it does not exist. Errors as above.
std::optional<std::string> read_file_if_exists(const std::filesystem::path& path, std::size_t limit,
                                               FileStamp* stamp = nullptr,
                                               ReadableKinds kinds = ReadableKinds::kRegularOnly);

}  // namespace provision::posix
