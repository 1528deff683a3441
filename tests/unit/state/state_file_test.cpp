// Loading and saving the state file on a real filesystem, with injected I/O
// failures and a crash between write and rename.
#include "state/state_file.hpp"

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/error.hpp"
#include "state/state_codec.hpp"
#include "support/temp_dir.hpp"

using namespace provision;
using namespace provision::state;
using provision::test::read_file;
using provision::test::TempDir;

namespace {

ClusterRecord record(const std::string& name) {
  ClusterRecord r;
  r.identity = {"cn-hangzhou", "w-1", name};
  r.cluster_id = "ray-" + name;
  r.phase = Phase::kCreated;
  r.spec_file = "specs/" + name + ".yaml";
  r.created_at = r.updated_at = "2026-11-26T07:00:00Z";
  return r;
}

std::string load_error(const StateFile& file) {
  SeededRandom random(1);
  try {
    file.load(random);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kState);
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a missing state file is an empty state; saving creates folder, file and backup") {
  TempDir dir;
  StateFile file(dir / ".provision/state.json");
  SeededRandom random(1);
  State s = file.load(random);
  CHECK(s.clusters.empty());
  CHECK(s.serial == 0);
  CHECK(s.lineage.size() == 36);

  s.clusters[record("a").identity] = record("a");
  file.save(s);
  CHECK(s.serial == 1);
  CHECK(!std::filesystem::exists(file.backup_path()));
  const std::string first = read_file(file.path());

  s.clusters[record("b").identity] = record("b");
  file.save(s);
  CHECK(s.serial == 2);
  CHECK(read_file(file.backup_path()) == first);
  State again = file.load(random);
  CHECK(again == s);
  CHECK(!std::filesystem::exists(dir / ".provision/state.json.tmp"));
}

TEST_CASE("corrupt, truncated, empty and misplaced state files are refused and left untouched") {
  TempDir dir;
  StateFile file(dir / "state.json");
  SeededRandom random(2);
  State s = file.load(random);
  s.clusters[record("a").identity] = record("a");
  file.save(s);
  const std::string good = read_file(file.path());

  for (std::size_t n : {std::size_t{0}, std::size_t{1}, good.size() / 2, good.size() - 3}) {
    CAPTURE(n);
    dir.write("state.json", good.substr(0, n));
    const std::string message = load_error(file);
    CHECK(message.find("state file '" + file.path().string() + "'") != std::string::npos);
    CHECK(message.find("left untouched") != std::string::npos);
    CHECK(read_file(file.path()) == good.substr(0, n));
  }
  std::filesystem::remove(file.path());
  std::filesystem::create_directory(file.path());
  CHECK(load_error(file).find("not a regular file") != std::string::npos);
}

TEST_CASE("a state of a newer format version is refused") {
  TempDir dir;
  dir.write("state.json", R"({"formatVersion": 99, "serial": 1})");
  StateFile file(dir / "state.json");
  const std::string message = load_error(file);
  CHECK(message.find("format version 99") != std::string::npos);
  CHECK(read_file(file.path()) == R"({"formatVersion": 99, "serial": 1})");
}

TEST_CASE("a failed save at any step leaves the last good state intact") {
  for (WriteStep failing : {WriteStep::kCreateTemp, WriteStep::kWriteTemp, WriteStep::kSyncTemp,
                            WriteStep::kBackup, WriteStep::kRename}) {
    for (int error : {ENOSPC, EROFS, EACCES}) {
      CAPTURE(static_cast<int>(failing));
      CAPTURE(error);
      TempDir dir;
      StateFile file(dir / "state.json");
      SeededRandom random(3);
      State s = file.load(random);
      s.clusters[record("a").identity] = record("a");
      file.save(s);
      const std::string good = read_file(file.path());
      State changed = s;
      changed.clusters[record("b").identity] = record("b");
      try {
        file.save(changed, [&](WriteStep step) { return step == failing ? error : 0; });
        FAIL("save should have failed");
      } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::kState);
        CHECK(std::string(e.what()).find(std::strerror(error)) != std::string::npos);
        CHECK(std::string(e.what()).find("previous content is unchanged") != std::string::npos);
      }
      CHECK(changed.serial == s.serial);
      CHECK(read_file(file.path()) == good);
      CHECK(!std::filesystem::exists(dir / "state.json.tmp"));
      CHECK(file.load(random) == s);
    }
  }
}

TEST_CASE("a crash between write and rename leaves the old state") {
  for (WriteStep crash_at :
       {WriteStep::kWriteTemp, WriteStep::kSyncTemp, WriteStep::kBackup, WriteStep::kRename}) {
    TempDir dir;
    StateFile file(dir / "state.json");
    SeededRandom random(4);
    State s = file.load(random);
    s.clusters[record("a").identity] = record("a");
    file.save(s);
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      State changed = s;
      changed.clusters[record("b").identity] = record("b");
      try {
        file.save(changed, [&](WriteStep step) -> int {
          if (step == crash_at) ::_exit(42);
          return 0;
        });
      } catch (...) {
      }
      ::_exit(1);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    CHECK(WEXITSTATUS(status) == 42);
    State after = file.load(random);
    CHECK(after == s);
    // The next save replaces any leftover temp file.
    after.clusters[record("c").identity] = record("c");
    file.save(after);
    CHECK(file.load(random) == after);
  }
}

TEST_CASE("a save refuses to overwrite a state that moved on since it was read") {
  TempDir dir;
  StateFile file(dir / "state.json");
  SeededRandom random(5);
  State first = file.load(random);
  State second = first;
  file.save(first);
  try {
    file.save(second);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("changed on disk") != std::string::npos);
  }
}

TEST_CASE("a save notices a file replaced behind its back, even though it checks only the stamp") {
  TempDir dir;
  StateFile file(dir / "state.json");
  SeededRandom random(6);
  State mine = file.load(random);
  mine.clusters[record("a").identity] = record("a");
  file.save(mine);  // serial 1, stamp known

  // Another writer (ignoring the lock) saves a newer version.
  StateFile other(dir / "state.json");
  State theirs = other.load(random);
  theirs.clusters[record("b").identity] = record("b");
  other.save(theirs);  // serial 2

  mine.clusters[record("c").identity] = record("c");
  try {
    file.save(mine);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kState);
    CHECK(std::string(e.what()).find("changed on disk since it was read (serial 2, expected 1)") !=
          std::string::npos);
  }
  CHECK(other.load(random) == theirs);  // left untouched
}

TEST_CASE("a file rewritten in place with the same content is checked by reading it, and saving goes on") {
  TempDir dir;
  StateFile file(dir / "state.json");
  SeededRandom random(7);
  State s = file.load(random);
  s.clusters[record("a").identity] = record("a");
  file.save(s);
  const std::string bytes = read_file(file.path());
  {
    // Same bytes, written in place: another size/mtime stamp, same serial and lineage.
    std::FILE* f = std::fopen(file.path().c_str(), "w");
    REQUIRE(f != nullptr);
    std::fputs("{", f);
    std::fflush(f);
    std::fclose(f);
    f = std::fopen(file.path().c_str(), "w");
    REQUIRE(f != nullptr);
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
  }
  s.clusters[record("b").identity] = record("b");
  file.save(s);
  CHECK(s.serial == 2);
  CHECK(file.load(random) == s);
}

TEST_CASE("a file damaged in place while provision runs is not overwritten") {
  TempDir dir;
  StateFile file(dir / "state.json");
  SeededRandom random(8);
  State s = file.load(random);
  file.save(s);
  std::filesystem::resize_file(file.path(), 10);
  const std::string damaged = read_file(file.path());
  try {
    file.save(s);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("was damaged while provision ran") != std::string::npos);
  }
  CHECK(read_file(file.path()) == damaged);
}

TEST_CASE("a file that disappears after a save is not written again") {
  TempDir dir;
  StateFile file(dir / "state.json");
  SeededRandom random(9);
  State s = file.load(random);
  file.save(s);
  std::filesystem::remove(file.path());
  CHECK_THROWS_WITH_AS(file.save(s), doctest::Contains("disappeared since it was read"), Error);
  CHECK(!std::filesystem::exists(file.path()));
}
