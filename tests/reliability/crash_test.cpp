// Crash test: kill -9 `provision apply` at seeded moments (before anything is sent,
// during the creates, between the emulator committing a create and the state recording
// its id, while waiting for Running, during a state save, at any moment under 30%
// injected faults); in about a third of the trials kill the recovering apply too; then
// rerun until an apply succeeds. After every kill the state is valid; at the end there
// is no duplicate and no lost id. 12 trials by default, 60 with PROVISION_LONG=1.
#include <doctest/doctest.h>

#include <random>

#include "reliability/cloud_audit.hpp"

namespace audit = provision::test::audit;
namespace fs = std::filesystem;
using namespace provision::test;
using std::chrono::milliseconds;

namespace {

constexpr int kClusters = 6;
constexpr int kMaxReruns = 5;

// Where a trial aims its kill; where it really landed is observed afterwards.
// kUnderFaults: a random moment while the emulator injects every fault kind at 30%.
enum class Aim { kStartup, kCreates, kCommitWindow, kWaiting, kStateWrite, kUnderFaults };
constexpr Aim kAims[] = {Aim::kStartup, Aim::kCreates,    Aim::kCommitWindow,
                         Aim::kWaiting, Aim::kStateWrite, Aim::kUnderFaults};

// Emulator flags for an aim: a `slow` answer on every request holds each create's
// answer back for 2.5 s after the create was committed, which opens the commit window
// wide (the kill comes at most 0.2 s after the first commit is seen).
std::vector<std::string> emulator_flags(Aim aim, int seed) {
  if (aim == Aim::kCommitWindow)
    return {"--faults",           "slow",          "--fault-rate", "1", "--slow-delay", "2.5", "--seed",
            std::to_string(seed), "--start-delay", "0.2"};
  if (aim == Aim::kWaiting) return {"--start-delay", "3"};
  if (aim == Aim::kUnderFaults)
    return {"--fault-rate", "0.3", "--seed", std::to_string(seed), "--slow-delay", "2", "--start-delay", "2"};
  return {"--start-delay", "0.2"};
}

std::size_t creates_answered(const fs::path& log) {
  return audit::access_log_counts(log).by_action["CreateRayCluster"];
}

// Waits for the aimed moment (bounded), then kills. Returns false when the apply ended
// first.
bool kill_at(Aim aim, audit::KillableRun& apply, std::mt19937& random, const fs::path& dir) {
  const auto data = dir / "emulator-data";
  const auto log = dir / "access.log";
  const auto state = dir / ".provision/state.json";
  const auto journal = dir / ".provision/state.json.journal";
  const auto deadline = audit::SteadyClock::now() + std::chrono::seconds(60);
  auto pause = [] { std::this_thread::sleep_for(milliseconds(2)); };
  switch (aim) {
    case Aim::kStartup:
      std::this_thread::sleep_for(milliseconds(std::uniform_int_distribution<int>(0, 40)(random)));
      break;
    case Aim::kCreates: {
      // After k committed creates, before all of them are done.
      const std::size_t k = std::uniform_int_distribution<std::size_t>(1, kClusters - 1)(random);
      while (!apply.exited() && audit::server_clusters(data).size() < k &&
             audit::SteadyClock::now() < deadline)
        pause();
      break;
    }
    case Aim::kCommitWindow:
      // A create is committed, and no create has been answered yet.
      while (!apply.exited() && audit::server_clusters(data).empty() && audit::SteadyClock::now() < deadline)
        pause();
      std::this_thread::sleep_for(milliseconds(std::uniform_int_distribution<int>(0, 200)(random)));
      break;
    case Aim::kWaiting:
      // Every create answered, clusters still Starting: the apply polls GetRayCluster.
      while (!apply.exited() && creates_answered(log) < kClusters && audit::SteadyClock::now() < deadline)
        pause();
      std::this_thread::sleep_for(milliseconds(std::uniform_int_distribution<int>(0, 1500)(random)));
      break;
    case Aim::kStateWrite: {
      // As a save is written: the moment the journal grows (or a snapshot's temp file
      // appears), the next save being close behind while clusters are worked on.
      const int skip = std::uniform_int_distribution<int>(0, 3)(random);  // which save
      int seen = 0;
      std::error_code ec;
      auto size = [&] { return fs::exists(journal, ec) ? fs::file_size(journal, ec) : 0; };
      std::uintmax_t last = size();
      while (!apply.exited() && audit::SteadyClock::now() < deadline) {
        const std::uintmax_t now = size();
        if ((now != last || audit::save_cut_short(state)) && seen++ == skip) break;
        last = now;
      }
      break;
    }
    case Aim::kUnderFaults:
      std::this_thread::sleep_for(milliseconds(std::uniform_int_distribution<int>(0, 3000)(random)));
      break;
  }
  return apply.kill9();
}

const char* aim_name(Aim aim) {
  switch (aim) {
    case Aim::kStartup:
      return "startup";
    case Aim::kCreates:
      return "during-creates";
    case Aim::kCommitWindow:
      return "commit-window";
    case Aim::kWaiting:
      return "waiting-running";
    case Aim::kStateWrite:
      return "state-write";
    case Aim::kUnderFaults:
      return "under-faults";
  }
  return "?";
}

// What the emulator and the state file show right after a kill.
struct Landing {
  bool nothing_sent = false;  // no request reached the emulator
  bool temp_left = false;     // a save was cut short (a temp file, or an incomplete journal batch)
  std::size_t in_window = 0;  // clusters committed on the emulator whose record is pending-create
  std::size_t created = 0;    // state records holding their id
};

Landing observe(const fs::path& dir, const std::vector<audit::ServerCluster>& server,
                const std::vector<audit::StateRecord>& state, std::size_t requests) {
  Landing l;
  l.nothing_sent = requests == 0 && server.empty();
  l.temp_left = audit::save_cut_short(dir / ".provision/state.json");
  std::set<std::string> on_server;
  for (const auto& c : server) on_server.insert(c.name);
  for (const auto& r : state) {
    if (r.phase == "pending-create" && on_server.count(r.name)) ++l.in_window;
    if (r.phase == "created") ++l.created;
  }
  return l;
}

struct Totals {
  std::map<std::string, std::size_t> kills;  // by aim
  std::size_t finished_first = 0;            // the apply ended before the kill
  std::size_t nothing_sent = 0;              // kills before any request
  std::size_t temp_left = 0;                 // kills inside a state save
  std::size_t window_kills = 0;              // kills with a committed create not yet in the state
  std::size_t window_clusters = 0;           // such clusters, summed
  std::size_t all_created = 0;               // kills after every id was recorded
  std::size_t backups_checked = 0;           // state.json.backup read back after a kill
  std::size_t rerun_kills = 0;               // recovering applies killed too
  std::size_t reruns = 0;
  std::size_t duplicates = 0;
  std::size_t lost = 0;
  std::size_t unknown = 0;
  std::size_t pending = 0;
};

void trial(int seed, Aim aim, Totals& totals) {
  std::mt19937 random(static_cast<std::mt19937::result_type>(seed));
  TempDir dir;
  const auto names = audit::write_specs(dir, "ct", kClusters);
  const auto data = dir / "emulator-data";
  const auto state_file = dir / ".provision/state.json";
  INFO("trial seed ", seed, " aim ", aim_name(aim));
  {
    audit::Emulator emulator(data, dir / "access.log", emulator_flags(aim, seed));
    std::vector<std::string> args{"apply", "specs", "--auto-approve"};
    if (aim == Aim::kUnderFaults) args.insert(args.end(), {"--request-timeout", "1"});  // slow = timeout
    audit::KillableRun apply(audit::provision_argv(emulator, args),
                             audit::provision_options(dir.path(), std::chrono::seconds(120)),
                             dir / "apply.out");
    const bool killed = kill_at(aim, apply, random, dir.path());
    if (!killed) {
      ++totals.finished_first;
      INFO(read_file(dir / "apply.out"));
      CHECK((apply.exit_code() == 0 || aim == Aim::kUnderFaults));  // faults may fail a run
    }
    emulator.stop();  // waits out nothing: a slow answer is cut short on shutdown
    if (killed) {
      const auto server = audit::server_clusters(data);
      const auto state = audit::state_records(state_file);
      const Landing l =
          observe(dir.path(), server, state, audit::access_log_counts(dir / "access.log").requests);
      ++totals.kills[aim_name(aim)];
      totals.nothing_sent += l.nothing_sent ? 1 : 0;
      totals.temp_left += l.temp_left ? 1 : 0;
      totals.window_kills += l.in_window > 0 ? 1 : 0;
      totals.window_clusters += l.in_window;
      totals.all_created += l.created == static_cast<std::size_t>(kClusters) ? 1 : 0;
      // The evidence that the kill hit the window: committed on the emulator, pending in the state.
      if (aim == Aim::kCommitWindow) CHECK_MESSAGE(l.in_window > 0, "the kill missed the commit window");
    }
  }

  // Rerun on the same data, without faults, until an apply succeeds.
  audit::Emulator clean(data, dir / "access-rerun.log", {"--start-delay", "0.2"});
  const RunResult valid = audit::provision(dir.path(), clean, {"state", "list"});
  CHECK_MESSAGE(valid.exit_code == 0, "the state is not valid after the kill: " << valid.err);
  if (fs::exists(dir / ".provision/state.json.backup")) {
    // The documented way back must be intact too.
    const RunResult backup =
        audit::provision(dir.path(), clean, {"state", "list", "--state", ".provision/state.json.backup"});
    CHECK_MESSAGE(backup.exit_code == 0, "the backup is not valid after the kill: " << backup.err);
    ++totals.backups_checked;
  }
  if (std::bernoulli_distribution(1.0 / 3)(random)) {
    // A second crash: the recovering apply is killed too, at a random moment.
    audit::KillableRun rerun(audit::provision_argv(clean, {"apply", "specs", "--auto-approve"}),
                             audit::provision_options(dir.path(), std::chrono::seconds(120)),
                             dir / "rerun.out");
    std::this_thread::sleep_for(milliseconds(std::uniform_int_distribution<int>(0, 600)(random)));
    totals.rerun_kills += rerun.kill9() ? 1 : 0;
    const RunResult still_valid = audit::provision(dir.path(), clean, {"state", "list"});
    CHECK_MESSAGE(still_valid.exit_code == 0,
                  "the state is not valid after the second kill: " << still_valid.err);
  }
  int reruns = 0;
  bool done = false;
  std::string last;
  while (!done && reruns < kMaxReruns) {
    ++reruns;
    const RunResult r =
        audit::provision(dir.path(), clean, {"apply", "specs", "--auto-approve"}, std::chrono::seconds(120));
    done = r.exit_code == 0;
    last = r.out + r.err;
  }
  totals.reruns += static_cast<std::size_t>(reruns);
  INFO("last rerun: ", last);
  CHECK_MESSAGE(done, "no rerun succeeded in " << kMaxReruns << " runs");  // the audit says why
  const RunResult listing = audit::provision(dir.path(), clean, {"state", "list", "--output", "json"});
  CHECK(listing.exit_code == 0);
  clean.stop();

  const auto raw = audit::state_records(state_file);
  const auto listed = audit::listed_state(listing);
  CHECK(listed.size() == raw.size());
  for (std::size_t i = 0; i < std::min(raw.size(), listed.size()); ++i) CHECK(listed[i].id == raw[i].id);
  const audit::Audit a = audit::audit(names, audit::server_clusters(data), raw);
  INFO("audit:", a.detail);
  CHECK(a.server == static_cast<std::size_t>(kClusters));
  CHECK(a.clean());
  totals.duplicates += a.duplicates;
  totals.lost += a.lost;
  totals.unknown += a.unknown;
  totals.pending += a.pending;
}

}  // namespace

TEST_CASE("crash test: kill -9 apply at seeded moments, rerun: no duplicates, no lost ids, valid state") {
  const int trials = audit::long_variant() ? 60 : 12;
  Totals totals;
  const auto start = audit::SteadyClock::now();
  for (int i = 0; i < trials; ++i) trial(1000 + i, kAims[i % std::size(kAims)], totals);
  const auto seconds =
      static_cast<double>(
          std::chrono::duration_cast<milliseconds>(audit::SteadyClock::now() - start).count()) /
      1000.0;
  std::ostringstream line;
  line << "scenario=crash variant=" << (audit::long_variant() ? "long" : "short") << " trials=" << trials
       << " clusters_per_trial=" << kClusters;
  for (const Aim aim : kAims) line << " kills." << aim_name(aim) << "=" << totals.kills[aim_name(aim)];
  line << " finished_before_kill=" << totals.finished_first << " landed.nothing_sent=" << totals.nothing_sent
       << " landed.commit_window=" << totals.window_kills << " landed.state_write=" << totals.temp_left
       << " landed.all_ids_recorded=" << totals.all_created << " window_clusters=" << totals.window_clusters
       << " backups_valid=" << totals.backups_checked << " rerun_kills=" << totals.rerun_kills
       << " reruns=" << totals.reruns << " duplicates=" << totals.duplicates << " lost=" << totals.lost
       << " unknown=" << totals.unknown << " pending=" << totals.pending << " seconds=" << seconds;
  audit::report(line.str());
}
