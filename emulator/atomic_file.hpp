// The emulator's file policy over the shared POSIX file module (core/posix_file.hpp): exact
// permissions, a temp file per process (the data directory has no lock), a size bound on reads.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace provision::emulator {

// No file in the data directory is larger; anything bigger is not the emulator's.
inline constexpr std::size_t kMaxDataFileBytes = std::size_t{1} << 30;

// Replaces `path` with `content`: write a temp file beside it, fsync, rename over the
// target, fsync the directory. Readers see the old or the new file, never a mix.
// `mode` is the permission of the new file (0600 for private keys). Throws Error(kState);
// the temp file is removed on every failure.
void write_file_atomically(const std::filesystem::path& path, std::string_view content, unsigned mode = 0644);

// fsyncs a directory, so that a file created, renamed or removed in it stays so after a crash.
void fsync_directory(const std::filesystem::path& dir);

// The whole file (or pipe: keys may come through one), or nullopt when it does not exist.
// Throws Error(kState) naming the real errno on other errors, for a directory, and for
// more than kMaxDataFileBytes.
std::optional<std::string> read_file_if_exists(const std::filesystem::path& path);

}  // namespace provision::emulator
