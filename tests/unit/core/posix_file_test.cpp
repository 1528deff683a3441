// The shared POSIX file module on real files in a temp dir: every failing step of a
// replace leaves the old content and no temp file; reads report the real errno.
#include "core/posix_file.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <vector>

#include "core/error.hpp"
#include "support/temp_dir.hpp"
#include "support/text_and_files.hpp"

using namespace provision;
using namespace provision::posix;
using namespace provision::test;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// The state error `action` throws.
std::string error_of(const std::function<void()>& action) { return error_message(ErrorKind::kState, action); }

unsigned mode_of(const fs::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

}  // namespace

TEST_CASE("a failure at any step of a replace keeps the old content and removes the temp file") {
  struct Case {
    WriteStep failing;
    int error;
    const char* message;
  };
  const Case cases[] = {
      {WriteStep::kCreateTemp, EACCES, "creating the temporary file: Permission denied"},
      {WriteStep::kSetMode, EPERM, "setting the temporary file's permissions: Operation not permitted"},
      {WriteStep::kWriteTemp, ENOSPC, "writing the temporary file: No space left on device"},
      {WriteStep::kSyncTemp, EIO, "flushing the temporary file to disk: Input/output error"},
      {WriteStep::kBackup, EXDEV, "keeping the previous version as backup: Invalid cross-device link"},
      {WriteStep::kRename, EROFS, "renaming the temporary file into place: Read-only file system"},
  };
  for (const Case& c : cases) {
    for (const bool per_process : {false, true}) {
      CAPTURE(step_name(c.failing));
      CAPTURE(per_process);
      TempDir dir;
      const fs::path path = dir.write("data.json", "old");
      ReplaceOptions options;
      options.backup = dir / "data.json.backup";
      options.mode = 0600;
      options.temp_per_process = per_process;
      options.fault = [&](WriteStep step) { return step == c.failing ? c.error : 0; };
      const std::string error = error_of([&] { replace_file_atomically(path, "new", options); });
      CHECK(error.find("cannot save '" + path.string() + "': " + c.message) != std::string::npos);
      CHECK(error.find("the previous content is unchanged") != std::string::npos);
      CHECK(read_file(path) == "old");
      const std::vector<std::string> left = entries(dir.path());
      const bool backed_up = c.failing == WriteStep::kRename;
      CHECK(left == (backed_up ? std::vector<std::string>{"data.json", "data.json.backup"}
                               : std::vector<std::string>{"data.json"}));
    }
  }
}

TEST_CASE(
    "a replace writes the new content, keeps the backup, and a failed directory sync is still reported") {
  TempDir dir;
  const fs::path path = dir.write("data.json", "old");
  ReplaceOptions options;
  options.backup = dir / "data.json.backup";
  FileStamp written;
  options.written = &written;
  replace_file_atomically(path, "new", options);
  CHECK(read_file(path) == "new");
  CHECK(read_file(options.backup) == "old");
  CHECK(stamp_of(path) == written);
  CHECK(entries(dir.path()) == std::vector<std::string>{"data.json", "data.json.backup"});

  options.fault = [](WriteStep step) { return step == WriteStep::kSyncDir ? EIO : 0; };
  const std::string error = error_of([&] { replace_file_atomically(path, "newer", options); });
  CHECK(error == "saved '" + path.string() + "' but flushing its folder to disk failed: Input/output error");
  CHECK(read_file(path) == "newer");
}

TEST_CASE("a replace creates the parent folder only when asked") {
  TempDir dir;
  const fs::path path = dir / "missing" / "data.json";
  CHECK(error_of([&] { replace_file_atomically(path, "x"); }).find("No such file or directory") !=
        std::string::npos);
  CHECK(entries(dir.path()).empty());
  ReplaceOptions options;
  options.create_parent = true;
  replace_file_atomically(path, "x", options);
  CHECK(read_file(path) == "x");
}

TEST_CASE("an exact mode ignores the umask, the default mode honours it") {
  TempDir dir;
  const mode_t saved = ::umask(077);
  ReplaceOptions exact;
  exact.mode = 0644;
  replace_file_atomically(dir / "exact", "x", exact);
  replace_file_atomically(dir / "default", "x");
  ::umask(saved);
  CHECK(mode_of(dir / "exact") == 0644);
  CHECK(mode_of(dir / "default") == 0600);
}

TEST_CASE("a bounded read reports the real errno, refuses what is not a regular file or is too large") {
  TempDir dir;
  dir.write("file", "0123456789");
  fs::create_symlink(dir / "loop-b", dir / "loop-a");
  fs::create_symlink(dir / "loop-a", dir / "loop-b");
  fs::create_directory(dir / "folder");
  struct Case {
    const char* name;
    std::size_t limit;
    std::string expected;  // '%' stands for the path
  };
  const Case cases[] = {
      {"file/child", 10, "cannot read '%': " + errno_message(ENOTDIR)},
      {"loop-a", 10, "cannot read '%': " + errno_message(ELOOP)},
      {"folder", 10, "'%' is not a regular file"},
      {"file", 9, "'%' is larger than 9 bytes"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const fs::path path = dir / c.name;
    std::string expected = c.expected;
    expected.replace(expected.find('%'), 1, path.string());
    CHECK(error_of([&] { (void)read_file_if_exists(path, c.limit); }) == expected);
  }
  CHECK(read_file_if_exists(dir / "file", 10) == std::optional<std::string>("0123456789"));
  CHECK_FALSE(read_file_if_exists(dir / "missing", 10));
}

TEST_CASE("a read of an unreadable file names its errno") {
  if (::geteuid() == 0) return;  // root reads any file
  TempDir dir;
  const fs::path path = dir.write("secret", "x");
  fs::permissions(path, fs::perms::none);
  CHECK(error_of([&] { (void)read_file_if_exists(path, 10); }) ==
        "cannot read '" + path.string() + "': " + errno_message(EACCES));
}

TEST_CASE("errno_message gives the system text of each errno") {
  const std::pair<int, const char*> cases[] = {{ENOENT, "No such file or directory"},
                                               {ENOSPC, "No space left on device"},
                                               {EACCES, "Permission denied"}};
  for (const auto& [error, text] : cases) CHECK(errno_message(error) == text);
}

TEST_CASE("UniqueFd closes its descriptor once, after moves and resets") {
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  const auto open = [](int fd) { return ::fcntl(fd, F_GETFD) != -1; };
  {
    UniqueFd reader(pipe_fds[0]);
    UniqueFd moved(std::move(reader));
    CHECK_FALSE(reader);
    CHECK(moved.get() == pipe_fds[0]);
    UniqueFd writer(pipe_fds[1]);
    const int released = writer.release();
    CHECK(open(released));
    writer.reset(released);
    CHECK(open(pipe_fds[0]));
  }
  CHECK_FALSE(open(pipe_fds[0]));
  CHECK_FALSE(open(pipe_fds[1]));
}
