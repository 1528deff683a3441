// The local store on a real filesystem: snapshot + journal, conversion of version-1
// files, compaction, injected I/O failures, crashes, and outside changes.
#include "state/local_store.hpp"

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "support/state_fixture.hpp"

using namespace provision;
using namespace provision::state;
using namespace provision::test;
namespace fs = std::filesystem;

namespace {

std::string load_error(LocalStore& store) {
  SeededRandom random(1);
  try {
    store.load(random);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kState);
    return e.what();
  }
  return "";
}

State reload(const fs::path& path) {
  SeededRandom random(99);
  LocalStore store(path);
  return store.load(random);
}

}  // namespace

TEST_CASE("a missing state is empty, the first commit writes a snapshot, later ones append to the journal") {
  TempDir dir;
  LocalStore store(dir / ".provision/state.json");
  SeededRandom random(1);
  State s = store.load(random);
  CHECK(s.clusters.empty());
  CHECK(s.serial == 0);
  CHECK(s.lineage.size() == 36);

  commit_put(store, s, record("a"));
  CHECK(s.serial == 1);
  CHECK(fs::exists(store.path()));
  CHECK(!fs::exists(store.journal_path()));
  const std::string snapshot = read_file(store.path());
  CHECK(snapshot.find("\"formatVersion\": 2") != std::string::npos);

  commit_put(store, s, record("b"));
  store.commit(s, {provision::test::removal("a")});
  s.clusters.erase(record("a").identity);
  CHECK(s.serial == 3);
  CHECK(read_file(store.path()) == snapshot);  // the snapshot is not rewritten
  const std::string journal = read_file(store.journal_path());
  CHECK(std::count(journal.begin(), journal.end(), '\n') == 2);
  CHECK(reload(store.path()) == s);
  CHECK(!fs::exists(dir / ".provision/state.json.tmp"));
}

TEST_CASE("a version-1 file is read, converted on the first save, and kept as the backup") {
  TempDir dir;
  State v1;
  v1.format_version = 1;
  v1.serial = 7;
  v1.lineage = "3f9a61c2-07d4-4c1b-9e55-0c2b8e6d1a70";
  v1.clusters[record("a").identity] = record("a");
  const std::string old_bytes = encode_state(v1);
  dir.write("state.json", old_bytes);
  LocalStore store(dir / "state.json");
  SeededRandom random(2);
  State s = store.load(random);
  CHECK(s.format_version == 1);
  CHECK(s.serial == 7);
  CHECK(s.clusters.size() == 1);
  commit_put(store, s, record("b"));
  CHECK(s.serial == 8);
  CHECK(read_file(store.backup_path()) == old_bytes);
  CHECK(read_file(store.path()).find("\"formatVersion\": 2") != std::string::npos);
  const State after = reload(store.path());
  CHECK(after.clusters == s.clusters);
  CHECK(after.serial == 8);
  CHECK(after.lineage == v1.lineage);
}

TEST_CASE("the journal is folded into a new snapshot once it outgrows the threshold and the snapshot") {
  TempDir dir;
  LocalStore store(dir / "state.json");
  store.set_compaction_threshold(2048);
  SeededRandom random(3);
  State s = store.load(random);
  std::size_t compactions = 0;
  std::size_t largest_journal = 0;
  for (int i = 0; i < 60; ++i) {
    commit_put(store, s, record("c" + std::to_string(i % 7), std::to_string(i)));
    if (!fs::exists(store.journal_path()))
      ++compactions;
    else
      largest_journal = std::max<std::size_t>(largest_journal, fs::file_size(store.journal_path()));
    CHECK(reload(store.path()) == s);
  }
  CHECK(compactions >= 3);
  CHECK(largest_journal < 2048 + 2 * read_file(store.path()).size() + 1024);
  CHECK(fs::exists(store.backup_path()));  // the snapshot before the last compaction
}

TEST_CASE("damaged snapshots are refused, naming the file, and left untouched") {
  TempDir dir;
  LocalStore store(dir / "state.json");
  SeededRandom random(4);
  State s = store.load(random);
  commit_put(store, s, record("a"));
  const std::string good = read_file(store.path());
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, good.size() / 2, good.size() - 3}) {
    CAPTURE(n);
    dir.write("state.json", good.substr(0, n));
    LocalStore again(dir / "state.json");
    const std::string message = load_error(again);
    CHECK(message.find("state file '" + store.path().string() + "'") != std::string::npos);
    CHECK(message.find("left untouched") != std::string::npos);
    CHECK(read_file(store.path()) == good.substr(0, n));
  }
  fs::remove(store.path());
  fs::create_directory(store.path());
  LocalStore misplaced(dir / "state.json");
  CHECK(load_error(misplaced).find("not a regular file") != std::string::npos);
}

TEST_CASE("a newer format version is refused, and a journal without its snapshot too") {
  TempDir dir;
  dir.write("state.json", R"({"formatVersion": 99, "serial": 1})");
  LocalStore store(dir / "state.json");
  CHECK(load_error(store).find("format version 99") != std::string::npos);
  CHECK(read_file(store.path()) == R"({"formatVersion": 99, "serial": 1})");

  TempDir other;
  other.write("state.json.journal", "{}\n");
  LocalStore orphan(other / "state.json");
  CHECK(load_error(orphan).find("has no snapshot") != std::string::npos);
}

TEST_CASE("a failed append at any step leaves the last good state, and the next commit succeeds") {
  for (WriteStep failing : {WriteStep::kAppend, WriteStep::kSyncAppend}) {
    for (int error : {ENOSPC, EROFS, EIO}) {
      CAPTURE(static_cast<int>(failing));
      CAPTURE(error);
      StoreWithTwoRecords fixture;
      LocalStore& store = fixture.store;
      State& s = fixture.s;
      const std::string journal = read_file(store.journal_path());
      const std::uint64_t serial = s.serial;
      try {
        store.commit(s, {put(record("c"))}, [&](WriteStep step) { return step == failing ? error : 0; });
        FAIL("commit should have failed");
      } catch (const Error& e) {
        CHECK(std::string(e.what()).find(std::strerror(error)) != std::string::npos);
        CHECK(std::string(e.what()).find("previous content is unchanged") != std::string::npos);
      }
      CHECK(s.serial == serial);
      CHECK(read_file(store.journal_path()) == journal);
      CHECK(reload(store.path()) == s);
      commit_put(store, s, record("c"));
      CHECK(reload(store.path()) == s);
    }
  }
}

TEST_CASE("a failed snapshot write at any step leaves the last good state intact") {
  for (WriteStep failing : {WriteStep::kCreateTemp, WriteStep::kWriteTemp, WriteStep::kSyncTemp,
                            WriteStep::kBackup, WriteStep::kRename}) {
    CAPTURE(static_cast<int>(failing));
    TempDir dir;
    State v1;
    v1.format_version = 1;
    v1.serial = 1;
    v1.lineage = "3f9a61c2-07d4-4c1b-9e55-0c2b8e6d1a70";
    dir.write("state.json", encode_state(v1));
    LocalStore store(dir / "state.json");
    SeededRandom random(6);
    State s = store.load(random);
    CHECK_THROWS_AS(
        store.commit(s, {put(record("a"))}, [&](WriteStep step) { return step == failing ? ENOSPC : 0; }),
        Error);
    CHECK(s.serial == 1);
    CHECK(read_file(store.path()) == encode_state(v1));
    CHECK(!fs::exists(dir / "state.json.tmp"));
  }
}

TEST_CASE("a crash in the middle of an append or a snapshot write leaves a state that loads") {
  for (WriteStep crash_at : {WriteStep::kAppend, WriteStep::kSyncAppend}) {
    StoreWithTwoRecords fixture;
    const fs::path& dir = fixture.dir.path();
    LocalStore& store = fixture.store;
    State& s = fixture.s;
    SeededRandom& random = fixture.random;
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      try {
        store.commit(s, {put(record("c"))}, [&](WriteStep step) -> int {
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
    LocalStore after(dir / "state.json");
    State loaded = after.load(random);
    // Before its fsync the batch may or may not be there; nothing else is possible.
    State with_c = s;
    with_c.clusters[record("c").identity] = record("c");
    with_c.serial += 1;
    CHECK((loaded == s || loaded == with_c));
    commit_put(after, loaded, record("d"));
    CHECK(reload(dir / "state.json") == loaded);
  }
}

TEST_CASE_FIXTURE(StoreWithTwoRecords,
                  "a half-written last batch is dropped with a warning, and the next commit replaces it") {
  const std::string good = read_file(store.journal_path());
  const std::string extra = "{\"serial\":4,\"lineage\":\"" + s.lineage + "\",\"changes\":[{\"put\":{\"region";
  { std::ofstream(store.journal_path(), std::ios::app | std::ios::binary) << extra; }
  std::vector<std::string> warnings;
  LocalStore again(dir / "state.json", [&](const std::string& w) { warnings.push_back(w); });
  State loaded = again.load(random);
  CHECK(loaded == s);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("ignored an incomplete last batch") != std::string::npos);
  commit_put(again, loaded, record("c"));
  const std::string journal = read_file(store.journal_path());
  CHECK(journal.substr(0, good.size()) == good);
  CHECK(journal.find("region\"", good.size()) == std::string::npos);  // the torn bytes are gone
  CHECK(reload(dir / "state.json") == loaded);
}

TEST_CASE_FIXTURE(StoreWithTwoRecords,
                  "a commit refuses a state that moved on since it was read, or was replaced or damaged") {
  LocalStore& mine = store;  // serial 2, stamps known

  LocalStore other(dir / "state.json");
  State theirs = other.load(random);
  commit_put(other, theirs, record("c"));  // serial 3
  CHECK_THROWS_WITH_AS(commit_put(mine, s, record("d")),
                       doctest::Contains("changed on disk since it was read (serial 3, expected 2)"), Error);
  CHECK(reload(dir / "state.json") == theirs);

  std::string damaged = read_file(other.journal_path());
  damaged[20] = static_cast<char>(damaged[20] ^ 0x04);
  { std::ofstream(other.journal_path(), std::ios::binary | std::ios::trunc) << damaged; }
  CHECK_THROWS_WITH_AS(commit_put(other, theirs, record("e")),
                       doctest::Contains("damaged while provision ran"), Error);
  CHECK(read_file(other.journal_path()) == damaged);

  TempDir gone;
  LocalStore vanished(gone / "state.json");
  State v = vanished.load(random);
  commit_put(vanished, v, record("a"));
  fs::remove(vanished.path());
  CHECK_THROWS_WITH_AS(commit_put(vanished, v, record("b")),
                       doctest::Contains("disappeared since it was read"), Error);
  CHECK(!fs::exists(vanished.path()));
}
