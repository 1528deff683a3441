// The state's file operations: the shared POSIX file module (core/posix_file.hpp) under
// the names the state layer and its callers use, with the state's write policy.
#pragma once

#include "core/posix_file.hpp"

namespace provision::state {

using posix::FaultHook;
using posix::FileStamp;
using posix::read_file_chunks;
using posix::read_file_if_exists;
using posix::stamp_of;
using posix::step_name;
using posix::sync_directory;
using posix::write_all;
using posix::WriteStep;

// Replaces `path` with `bytes` (see posix::replace_file_atomically), creating the parent
// folder; the old content is kept in `backup` first unless that is empty. The new file is
// 0644 less the umask.
inline void replace_file_atomically(const std::filesystem::path& path, std::string_view bytes,
                                    const std::filesystem::path& backup, const FaultHook& fault = {},
                                    FileStamp* written = nullptr) {
  posix::ReplaceOptions options;
  options.backup = backup;
  options.create_parent = true;
  options.fault = fault;
  options.written = written;
  posix::replace_file_atomically(path, bytes, options);
}

}  // namespace provision::state
