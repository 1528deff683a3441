// The emulator's choices for the shared file module; the mechanics live in core.
#include "emulator/atomic_file.hpp"

#include "core/error.hpp"
#include "core/posix_file.hpp"

namespace provision::emulator {

void fsync_directory(const std::filesystem::path& dir) {
  if (posix::sync_directory(dir) != 0)
    throw Error(ErrorKind::kState, "cannot flush directory '" + dir.string() +
                                       "' to disk: " + posix::errno_message(posix::last_errno()));
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content, unsigned mode) {
  posix::ReplaceOptions options;
  options.mode = mode;
  options.temp_per_process = true;
  posix::replace_file_atomically(path, content, options);
}

std::optional<std::string> read_file_if_exists(const std::filesystem::path& path) {
  return posix::read_file_if_exists(path, kMaxDataFileBytes, nullptr, posix::ReadableKinds::kRegularOrPipe);
}

}  // namespace provision::emulator
