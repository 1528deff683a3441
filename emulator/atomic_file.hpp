// Crash-safe file replacement for the emulator's data directory (certificates, clusters).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace provision::emulator {

// Replaces `path` with `content`: write a temp file beside it, fsync, rename over the
// target, fsync the directory. Readers see the old or the new file, never a mix.
// `mode` is the permission of the new file (0600 for private keys). Throws Error(kState).
void write_file_atomically(const std::filesystem::path& path, std::string_view content, unsigned mode = 0644);

// fsyncs a directory, so that a file created, renamed or removed in it stays so after a crash.
void fsync_directory(const std::filesystem::path& dir);

// The whole file, or nullopt when it does not exist. Throws Error(kState) on other errors.
std::optional<std::string> read_file_if_exists(const std::filesystem::path& path);

}  // namespace provision::emulator
