#include "emulator/atomic_file.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>
#include <vector>

#include "core/error.hpp"
#include "support/temp_dir.hpp"

using namespace provision;
using namespace provision::emulator;

TEST_CASE("atomic writes replace the whole file and leave no temp file") {
  test::TempDir dir;
  auto path = dir / "clusters.json";
  CHECK_FALSE(read_file_if_exists(path));
  write_file_atomically(path, "first");
  write_file_atomically(path, "second, longer", 0600);
  CHECK(read_file_if_exists(path) == std::optional<std::string>("second, longer"));
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  int entries = 0;
  for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(dir.path())) ++entries;
  CHECK(entries == 1);
}

TEST_CASE("a write into a missing directory fails with the path named") {
  test::TempDir dir;
  CHECK_THROWS_WITH_AS(write_file_atomically(dir / "missing" / "x.json", "x"), doctest::Contains("missing"),
                       Error);
}

TEST_CASE("a read error names the real errno, not a guessed one") {
  test::TempDir dir;
  dir.write("file", "x");
  std::filesystem::create_symlink(dir / "loop-b", dir / "loop-a");
  std::filesystem::create_symlink(dir / "loop-a", dir / "loop-b");
  const std::pair<const char*, const char*> cases[] = {
      {"file/child", "Not a directory"},
      {"loop-a", "Too many levels of symbolic links"},
  };
  for (const auto& [name, message] : cases) {
    CAPTURE(name);
    CHECK_THROWS_WITH_AS(read_file_if_exists(dir / name), doctest::Contains(message), Error);
  }
}

TEST_CASE("a failed write leaves the old file and no temp file") {
  test::TempDir dir;
  // A directory where the file should go: the rename fails after the temp file was written.
  std::filesystem::create_directories(dir / "clusters.json" / "occupied");
  CHECK_THROWS_WITH_AS(write_file_atomically(dir / "clusters.json", "new", 0600),
                       doctest::Contains("renaming the temporary file into place"), Error);
  std::vector<std::string> names;
  for (auto& e : std::filesystem::directory_iterator(dir.path()))
    names.push_back(e.path().filename().string());
  CHECK(names == std::vector<std::string>{"clusters.json"});
}

TEST_CASE("keys may come through a pipe, as with --access-keys <(...)") {
  test::TempDir dir;
  const auto fifo = dir / "keys";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction saved {};
  REQUIRE(::sigaction(SIGPIPE, &ignore, &saved) == 0);  // a refusing reader must not kill the test
  // Opening a FIFO waits for the other end: the writer runs beside the read.
  std::thread writer([&] {
    const int fd = ::open(fifo.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
      (void)!::write(fd, "id:secret\n", 10);
      ::close(fd);
    }
  });
  std::optional<std::string> text;
  CHECK_NOTHROW(text = read_file_if_exists(fifo));
  writer.join();
  ::sigaction(SIGPIPE, &saved, nullptr);
  CHECK(text == std::optional<std::string>("id:secret\n"));
}
