// Crash-safe file replacement (temp, fsync, rename, fsync of the directory) and
// bounded reading, the two file operations the state needs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace provision::state {

// The steps of replace_file_atomically, in order, and of a journal append (the local
// store), for fault injection in tests.
enum class WriteStep { kCreateTemp, kWriteTemp, kSyncTemp, kBackup, kRename, kSyncDir, kAppend, kSyncAppend };

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

// Replaces `path` with `bytes` so that a crash or error at any point leaves
// either the old or the new content, never a mix. If `backup` is not empty and
// `path` exists, the old content is kept there first. Creates the parent folder.
// Throws Error(kState) naming the file and the failed step; the temp file is removed.
// With `written`, receives the stamp of the new file (taken from the file itself, so an
// outside change after the rename cannot be mistaken for ours).
void replace_file_atomically(const std::filesystem::path& path, std::string_view bytes,
                             const std::filesystem::path& backup, const FaultHook& fault = {},
                             FileStamp* written = nullptr);

// Writes every byte, retrying after EINTR and short writes: 0, or -1 with errno set.
int write_all(int fd, std::string_view bytes);

// Flushes a folder's entries (a created, renamed or removed file) to disk: 0, or -1 with errno.
int sync_directory(const std::filesystem::path& dir);

// The content of `path`, or nothing if it does not exist. Throws Error(kState) if
// it is not a regular file, cannot be read, or is larger than `limit` bytes. With
// `stamp`, receives the stamp of the file that was read (taken before reading).
std::optional<std::string> read_file_if_exists(const std::filesystem::path& path, std::size_t limit,
                                               FileStamp* stamp = nullptr);

// The same read, handing the content to `chunk` piece by piece (at most 64 KiB each)
// instead of holding all of it; false if the file does not exist. Errors as above.
bool read_file_chunks(const std::filesystem::path& path, std::size_t limit, FileStamp* stamp,
                      const std::function<void(std::string_view)>& chunk);

}  // namespace provision::state
