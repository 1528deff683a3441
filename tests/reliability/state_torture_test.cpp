// State torture through the real CLI: after a real apply, the state's snapshot is
// truncated at every length, has single bits flipped, is empty, is a directory; its
// journal is truncated at every length and has bits flipped; the folder is read-only or
// on a full disk. Every damaged snapshot and every flipped journal bit makes every reading
// and writing command exit 8 with the file named, leaving both files byte-for-byte as
// they were, no temp file, and no API request sent. A journal cut short is read as the
// batches before the cut (a crash in an append looks the same), with a warning when the
// cut falls inside a batch.
#include <doctest/doctest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <random>
#include <set>

#include "integration/provision_fixture.hpp"
#include "reliability_support.hpp"

namespace fs = std::filesystem;
using namespace provision::test;

namespace {

constexpr unsigned kFlipSeed = 20261126;

// A cloud with two applied clusters: a snapshot and a journal, both good.
struct GoodState {
  EmulatedCloud cloud;
  fs::path dir = cloud.dir() / ".provision";
  fs::path state = dir / "state.json";
  fs::path journal = dir / "state.json.journal";
  std::string good, good_journal;
  long long runs = 0;
  long long accepted = 0;  // damaged files a command used as if they were good (must stay 0)

  GoodState() {
    cloud.spec("alpha");
    cloud.spec("beta", 2);
    auto applied = cloud.provision({"apply", "specs", "--auto-approve"});
    REQUIRE_MESSAGE(applied.exit_code == 0, applied.err);
    good = read_file(state);
    good_journal = read_file(journal);
    REQUIRE(!good_journal.empty());
    REQUIRE(!fs::exists(dir / "state.json.backup"));
    // A third spec gives apply something to save first (its pending-create record).
    cloud.spec("gamma");
  }

  RunResult provision(const std::vector<std::string>& args, const provision::test::RunOptions& o) {
    std::vector<std::string> argv{PROVISION_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    for (const auto& a : cloud.endpoint_args()) argv.push_back(a);
    ++runs;
    return provision::test::run(argv, o);
  }
  RunResult provision(const std::vector<std::string>& args) { return provision(args, cloud.options()); }

  // Files provision left in the state folder besides the expected ones (the spec cache of
  // issue 14 is expected: it is written once a plan was made, never as a temp file).
  std::vector<std::string> leftovers(const fs::path& folder) const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(folder)) {
      const auto name = e.path().filename().string();
      if (name != "state.json" && name != "state.json.journal" && name != "state.json.lock" &&
          name != "state.json.spec-cache")
        out.push_back(name);
    }
    return out;
  }

  // The checks every damaged-file case shares; `bytes` and `journal_bytes` are what the
  // test put in place.
  void expect_refused(const RunResult& r, const std::string& command, const std::string& bytes,
                      const std::string& journal_bytes) {
    INFO(command, ": exit ", r.exit_code, " signal ", r.signal, "\n", r.err);
    if (r.exit_code == 0) ++accepted;
    CHECK(r.exit_code == 8);
    CHECK(r.err.find("'.provision/state.json") != std::string::npos);
    CHECK(r.err.find("left untouched") != std::string::npos);
    CHECK(read_file(state) == bytes);
    CHECK(read_file(journal) == journal_bytes);
    CHECK(leftovers(dir).empty());
  }

  // Runs a reader and a writer (and with `with_apply` also plan and apply) on the snapshot
  // `bytes` and the journal `journal_bytes` in place.
  void torture(const std::string& bytes, bool with_apply, const std::string& journal_bytes) {
    std::ofstream(state, std::ios::binary | std::ios::trunc) << bytes;
    std::ofstream(journal, std::ios::binary | std::ios::trunc) << journal_bytes;
    expect_refused(provision({"state", "list"}), "state list", bytes, journal_bytes);
    expect_refused(provision({"state", "rm", "alpha"}), "state rm", bytes, journal_bytes);
    if (!with_apply) return;
    expect_refused(provision({"plan", "specs"}), "plan", bytes, journal_bytes);
    expect_refused(provision({"apply", "specs", "--auto-approve"}), "apply", bytes, journal_bytes);
  }
  void torture(const std::string& bytes, bool with_apply) { torture(bytes, with_apply, good_journal); }

  // The good files work again, and nothing reached the API meanwhile.
  void restore_and_check(std::size_t requests_before) {
    CHECK(cloud.requests() == requests_before);
    fs::remove_all(state);
    std::ofstream(state, std::ios::binary) << good;
    std::ofstream(journal, std::ios::binary | std::ios::trunc) << good_journal;
    auto listed = provision({"state", "list"});
    CHECK(listed.exit_code == 0);
    CHECK(listed.out.find("alpha") != std::string::npos);
  }
};

// Lengths 0..size-2: all of them in the long variant, a seeded sample otherwise. (Length
// size-1 only drops the final newline; it decodes to the same state by design.)
std::vector<std::size_t> truncation_lengths(std::size_t size, bool all) {
  std::vector<std::size_t> out;
  if (all) {
    for (std::size_t n = 0; n + 1 < size; ++n) out.push_back(n);
    return out;
  }
  std::set<std::size_t> pick{0, 1, 2, size / 2, size - 3, size - 2};
  std::mt19937 random(kFlipSeed);
  while (pick.size() < 24) pick.insert(random() % (size - 1));
  return {pick.begin(), pick.end()};
}

// `unshare -m` with mount permission (root with CAP_SYS_ADMIN): tmpfs and read-only
// bind mounts that vanish with the process.
bool can_mount() {
  provision::test::TempDir probe;
  auto r = provision::test::run({"/usr/bin/unshare", "-m", "/bin/sh", "-c",
                                 "mount -t tmpfs -o size=16k tmpfs \"$0\" && touch \"$0\"/x",
                                 probe.path().string()});
  return r.exit_code == 0;
}

}  // namespace

TEST_CASE(
    "a snapshot truncated at every length is refused by all, a journal truncated is read up to the cut") {
  GoodState s;
  const bool all = provision::test::long_variant();
  const std::size_t before = s.cloud.requests();
  const auto lengths = truncation_lengths(s.good.size(), all);
  for (std::size_t i = 0; i < lengths.size(); ++i) {
    CAPTURE(lengths[i]);
    s.torture(s.good.substr(0, lengths[i]), i % 8 == 0);
  }
  // Without only its final newline the file holds everything: the same state is read.
  REQUIRE(s.good.back() == '\n');
  { std::ofstream(s.state, std::ios::binary | std::ios::trunc) << s.good; }
  const auto listed_good = s.provision({"state", "list", "--output", "json"});
  { std::ofstream(s.state, std::ios::binary | std::ios::trunc) << s.good.substr(0, s.good.size() - 1); }
  const auto listed_cut = s.provision({"state", "list", "--output", "json"});
  CHECK(listed_cut.exit_code == 0);
  CHECK(listed_cut.out == listed_good.out);
  // The journal cut at every length: the batches before the cut, never a damaged read.
  const auto journal_lengths = truncation_lengths(s.good_journal.size() + 1, all);
  std::size_t warned = 0;
  for (std::size_t n : journal_lengths) {
    CAPTURE(n);
    std::ofstream(s.state, std::ios::binary | std::ios::trunc) << s.good;
    const std::string cut = s.good_journal.substr(0, n);
    std::ofstream(s.journal, std::ios::binary | std::ios::trunc) << cut;
    auto listed = s.provision({"state", "list", "--output", "json"});
    const bool mid_batch = !cut.empty() && cut.back() != '\n';
    // A whole batch without its newline could also be damage: refused, never misread.
    if (listed.exit_code == 8) {
      CHECK(mid_batch);
      CHECK(listed.err.find("damaged") != std::string::npos);
      continue;
    }
    CHECK(listed.exit_code == 0);
    CHECK((listed.err.find("ignored an incomplete last batch") != std::string::npos) == mid_batch);
    warned += mid_batch ? 1 : 0;
    CHECK(read_file(s.journal) == cut);  // a reader never repairs
  }
  CHECK(warned > 0);
  s.restore_and_check(before);
  provision::test::report("state-torture-truncate",
                          {{"variant", all ? "long" : "short"},
                           {"size", figure(static_cast<long long>(s.good.size()))},
                           {"journal_size", figure(static_cast<long long>(s.good_journal.size()))},
                           {"journal_lengths", figure(static_cast<long long>(journal_lengths.size()))},
                           {"lengths", figure(static_cast<long long>(lengths.size()))},
                           {"runs", figure(s.runs)},
                           {"accepted", figure(s.accepted)},
                           {"requests_sent", figure(static_cast<long long>(s.cloud.requests() - before))}});
}

TEST_CASE("a snapshot or a journal with one flipped bit is refused, and both files survive") {
  GoodState s;
  const bool is_long = provision::test::long_variant();
  const int flips = is_long ? 600 : 24;
  std::mt19937 random(kFlipSeed);
  const std::size_t before = s.cloud.requests();
  for (int i = 0; i < flips; ++i) {
    std::string bad = s.good;
    const std::size_t at = random() % bad.size();
    const auto bit = static_cast<char>(1u << (random() % 8));
    bad[at] = static_cast<char>(bad[at] ^ bit);
    CAPTURE(at);
    CAPTURE(static_cast<int>(bit));
    s.torture(bad, i % 8 == 0);
    // The same flip in the journal: refused too.
    std::string bad_journal = s.good_journal;
    const std::size_t j = random() % bad_journal.size();
    bad_journal[j] = static_cast<char>(bad_journal[j] ^ bit);
    CAPTURE(j);
    s.torture(s.good, i % 8 == 1, bad_journal);
  }
  s.restore_and_check(before);
  provision::test::report("state-torture-flip", {{"variant", is_long ? "long" : "short"},
                                                 {"seed", figure(kFlipSeed)},
                                                 {"flips", figure(flips)},
                                                 {"runs", figure(s.runs)},
                                                 {"accepted", figure(s.accepted)}});
}

TEST_CASE("an empty state file or a directory in its place is refused and kept") {
  GoodState s;
  const std::size_t before = s.cloud.requests();
  s.torture("", true);
  s.torture("\n", false);

  fs::remove(s.state);
  fs::create_directories(s.state / "inside");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"state", "list"}, {"state", "rm", "alpha"}, {"apply", "specs", "--auto-approve"}}) {
    auto r = s.provision(args);
    INFO(args[0], ": ", r.err);
    CHECK(r.exit_code == 8);
    CHECK(r.err.find("'.provision/state.json' is not a regular file") != std::string::npos);
    CHECK(fs::is_directory(s.state / "inside"));
    CHECK(read_file(s.journal) == s.good_journal);
  }
  fs::remove_all(s.state);
  s.restore_and_check(before);
  provision::test::report("state-torture-empty-dir",
                          {{"runs", figure(s.runs)}, {"accepted", figure(s.accepted)}});
}

TEST_CASE("a read-only state folder: reading works, writing fails naming the file, nothing changes") {
  GoodState s;
  std::string how;
  auto in_read_only = [&](const std::vector<std::string>& args) {
    if (::geteuid() != 0) return s.provision(args);
    // Root ignores permission bits: a read-only bind mount of the folder instead.
    std::vector<std::string> argv{"/usr/bin/unshare",
                                  "-m",
                                  "/bin/sh",
                                  "-c",
                                  "mount --bind .provision .provision && mount -o remount,ro,bind .provision "
                                  ".provision && exec \"$@\"",
                                  "sh",
                                  PROVISION_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    for (const auto& a : s.cloud.endpoint_args()) argv.push_back(a);
    ++s.runs;
    return provision::test::run(argv, s.cloud.options());
  };
  if (::geteuid() == 0) {
    if (!can_mount()) {
      MESSAGE("skipped: running as root (permission bits do not stop writes) and mounts are not permitted");
      provision::test::report("state-torture-read-only", {{"skipped", "root-without-mount"}});
      return;
    }
    how = "ro-bind-mount";
  } else {
    how = "chmod-0555";
    fs::permissions(s.dir, fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                    fs::perm_options::remove);
  }
  auto listed = in_read_only({"state", "list"});
  CHECK(listed.exit_code == 0);
  CHECK(listed.out.find("alpha") != std::string::npos);
  for (const auto& args : std::vector<std::vector<std::string>>{{"state", "rm", "alpha"},
                                                                {"apply", "specs", "--auto-approve"}}) {
    auto r = in_read_only(args);
    const std::string said = r.out + r.err;
    INFO(args[0], ": ", said);
    if (r.exit_code == 0) ++s.accepted;
    CHECK(r.exit_code == 8);
    CHECK(said.find("'.provision/state.json") != std::string::npos);
    const bool says_why = said.find("Read-only file system") != std::string::npos ||
                          said.find("Permission denied") != std::string::npos;
    CHECK(says_why);
  }
  fs::permissions(s.dir, fs::perms::owner_write, fs::perm_options::add);
  CHECK(read_file(s.state) == s.good);
  CHECK(read_file(s.journal) == s.good_journal);
  CHECK(s.leftovers(s.dir).empty());
  // gamma was never sent (apply may have listed the workspace before its first save failed).
  CHECK(s.cloud.requests("CreateRayCluster") == 2);
  provision::test::report("state-torture-read-only",
                          {{"method", how}, {"runs", figure(s.runs)}, {"accepted", figure(s.accepted)}});
}

TEST_CASE(
    "a full disk (RLIMIT_FSIZE, and a full tmpfs when mounts are permitted) keeps the last good state") {
  GoodState s;
  long long cases = 0;
  // RLIMIT_FSIZE: write() of the temp file fails with EFBIG part-way through. `state rm`
  // writes a smaller file than the good one, apply (a pending-create for gamma) a larger one.
  const std::vector<std::string> rm{"state", "rm", "alpha"}, apply{"apply", "specs", "--auto-approve"};
  const auto size = static_cast<unsigned long long>(s.good_journal.size());
  for (const auto& [args, limit] : std::vector<std::pair<std::vector<std::string>, unsigned long long>>{
           {rm, 64}, {rm, size + 64}, {apply, 64}, {apply, size}, {apply, size + 128}}) {
    auto o = s.cloud.options();
    o.rlimits = {{RLIMIT_FSIZE, limit}};
    auto r = s.provision(args, o);
    const std::string said = r.out + r.err;  // apply reports a failed cluster on stdout too
    INFO(args[0], " with RLIMIT_FSIZE ", limit, ": exit ", r.exit_code, " signal ", r.signal, "\n", said);
    if (r.exit_code == 0) ++s.accepted;
    CHECK(r.exit_code == 8);
    CHECK(said.find("cannot save '.provision/state.json': appending to the journal "
                    "'.provision/state.json.journal': File too large; the previous content is unchanged") !=
          std::string::npos);
    CHECK(read_file(s.state) == s.good);
    CHECK(read_file(s.journal) == s.good_journal);
    CHECK(s.leftovers(s.dir).empty());
    ++cases;
  }
  // Apply lists the workspace (a read), but its pending-create save failed, so no Create.
  CHECK(s.cloud.requests("CreateRayCluster") == 2);

  std::string tmpfs = "skipped-no-mount";
  if (can_mount()) {
    tmpfs = "run";
    provision::test::TempDir saved, after;
    fs::copy(s.dir, saved.path(), fs::copy_options::recursive);
    // A 64 KiB tmpfs over the state folder, filled up; what is left in it is copied out.
    const std::string script =
        "mount -t tmpfs -o size=64k tmpfs .provision && cp -a \"$0\"/. .provision/ && "
        "{ dd if=/dev/zero of=.provision/filler bs=4096 2>/dev/null; true; } && "
        "{ \"$@\"; rc=$?; rm -f .provision/filler; mkdir -p \"$AFTER\" && cp -a .provision/. \"$AFTER\"/; "
        "exit $rc; }";
    // A journal append may still fit in the space the file already has (its last page):
    // then it succeeds and the state must be whole; otherwise it fails with ENOSPC and
    // leaves both files as they were. (An apply would create gamma on the emulator in a
    // state this test then throws away, so only `state rm` runs here.)
    for (const auto& args : std::vector<std::vector<std::string>>{{"state", "rm", "alpha"}}) {
      fs::remove_all(after.path() / "copy");
      auto o = s.cloud.options();
      o.env["AFTER"] = (after.path() / "copy").string();
      std::vector<std::string> argv{"/usr/bin/unshare", "-m", "/bin/sh", "-c", script, saved.path().string(),
                                    PROVISION_BINARY};
      argv.insert(argv.end(), args.begin(), args.end());
      for (const auto& a : s.cloud.endpoint_args()) argv.push_back(a);
      ++s.runs;
      auto r = provision::test::run(argv, o);
      const std::string said = r.out + r.err;
      INFO(args[0], " on a full tmpfs: exit ", r.exit_code, "\n", said);
      const auto copy = after.path() / "copy";
      CHECK(s.leftovers(copy).empty());
      CHECK(read_file(copy / "state.json") == s.good);
      if (r.exit_code == 0) {
        ++s.accepted;
        tmpfs = "run-append-fit";
        auto o2 = s.cloud.options();
        auto listed = provision::test::run(
            {PROVISION_BINARY, "state", "list", "--state", (copy / "state.json").string()}, o2);
        CHECK(listed.exit_code == 0);
        CHECK(listed.out.find("alpha") == std::string::npos);
        CHECK(listed.out.find("beta") != std::string::npos);
      } else {
        CHECK(r.exit_code == 8);
        CHECK(said.find("cannot save '.provision/state.json'") != std::string::npos);
        CHECK(said.find("No space left on device") != std::string::npos);
        CHECK(read_file(copy / "state.json.journal") == s.good_journal);
      }
      ++cases;
    }
    CHECK(s.cloud.requests("CreateRayCluster") == 2);
  }
  const auto creates = static_cast<long long>(s.cloud.requests("CreateRayCluster")) - 2;
  // With room again the same apply goes through and creates gamma exactly once.
  auto recovered = s.provision({"apply", "specs", "--auto-approve"});
  CHECK(recovered.exit_code == 0);
  CHECK(s.cloud.requests("CreateRayCluster") == 3);
  provision::test::report("state-torture-full-disk", {{"cases", figure(cases)},
                                                      {"tmpfs", tmpfs},
                                                      {"runs", figure(s.runs)},
                                                      {"saves_succeeded", figure(s.accepted)},
                                                      {"creates_sent", figure(creates)},
                                                      {"recovered", recovered.exit_code == 0 ? "1" : "0"}});
}
