// Concurrency: several real `provision apply` processes started at the same instant on
// one state (they wait with --lock-timeout, or all but one are refused naming the
// holder), and `provision plan` / `state list` run in a loop while an apply writes.
// Plan and state list take no lock (doc/state-format.md): they must still always see
// a whole, valid state, because every save is an atomic rename, and plan must never call
// a cluster the running apply is creating "unmanaged" (it did, exit 1, until plan read
// the state again after listing the workspace).
#include <doctest/doctest.h>

#include <atomic>
#include <future>
#include <thread>

#include "integration/provision_fixture.hpp"
#include "reliability_support.hpp"

using provision::test::EmulatedCloud;
using provision::test::figure;
using provision::test::RunResult;

namespace {

struct Figures {
  long long rounds = 0, applies = 0, applies_waited = 0, refused = 0, plans = 0, lists = 0, plan_failures = 0;
  long long creates = 0, updates = 0, duplicates = 0;
};

// Writes the specs of round `round`: clusters c0..c{base-1} plus one new cluster per
// earlier round, every one with `round + 1` workers (so each round updates them all).
int write_round_specs(const EmulatedCloud& cloud, int base, int round) {
  int count = 0;
  for (int i = 0; i < base; ++i, ++count) cloud.spec("c" + std::to_string(i), round + 1);
  for (int r = 1; r <= round; ++r, ++count) cloud.spec("late" + std::to_string(r), round + 1);
  return count;
}

// Runs plan and state list in a loop until `stop`, counting results; every run must
// read a whole state (exit 0, no "cannot be used").
void read_while_applying(const EmulatedCloud& cloud, const std::atomic<bool>& stop,
                         std::atomic<long long>& plans, std::atomic<long long>& lists,
                         std::atomic<long long>& failures) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  for (int i = 0; !stop && std::chrono::steady_clock::now() < give_up; ++i) {
    const bool plan = i % 2 == 0;
    RunResult r =
        plan ? cloud.provision({"plan", "specs"}) : cloud.provision({"state", "list", "--output", "json"});
    (plan ? plans : lists)++;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // leave the applies some CPU
    if (r.exit_code != 0 || r.err.find("cannot be used") != std::string::npos) {
      ++failures;
      MESSAGE("reader failed (exit ", r.exit_code, "): ", r.out, r.err);
    }
  }
}

}  // namespace

TEST_CASE("applies started together on one state, with plans and state list reading all the while") {
  const bool is_long = provision::test::long_variant();
  const int rounds = is_long ? 10 : 3;
  const int base = is_long ? 12 : 3;
  const int appliers = is_long ? 3 : 2;
  const int readers = is_long ? 3 : 2;
  // Clusters take 2 s to start and every round creates one, so the apply that wins holds
  // the lock at least that long: the others, started with it, always find it held.
  EmulatedCloud cloud({"--start-delay", "2"});
  const auto state_path = cloud.dir() / ".provision/state.json";
  Figures f;
  const auto started = std::chrono::steady_clock::now();

  for (int round = 0; round < rounds; ++round) {
    const int clusters = write_round_specs(cloud, base, round);
    // Even rounds: every apply waits for the lock and all succeed; odd rounds: no
    // --lock-timeout, so exactly one runs and the others are refused at once.
    const bool wait = round % 2 == 0;
    std::atomic<bool> stop{false};
    std::atomic<long long> plans{0}, lists{0}, failures{0};
    std::vector<std::thread> reader_threads;
    for (int i = 0; i < readers; ++i)
      reader_threads.emplace_back(read_while_applying, std::cref(cloud), std::cref(stop), std::ref(plans),
                                  std::ref(lists), std::ref(failures));
    std::vector<std::future<RunResult>> applies;
    for (int i = 0; i < appliers; ++i) {
      applies.push_back(std::async(std::launch::async, [&cloud, wait] {
        std::vector<std::string> args{"apply", "specs", "--auto-approve"};
        if (wait) args.insert(args.end(), {"--lock-timeout", "120s"});
        return cloud.provision(args);
      }));
    }
    std::vector<RunResult> results;
    for (auto& a : applies) results.push_back(a.get());
    stop = true;
    for (auto& t : reader_threads) t.join();

    int ok = 0;
    std::vector<const RunResult*> refused;
    const RunResult* winner = nullptr;
    for (const auto& r : results) {
      INFO("round ", round, " exit ", r.exit_code, "\n", r.out, r.err);
      if (r.exit_code == 0) {
        ++ok;
        winner = &r;
      } else {
        CHECK(r.exit_code == 9);
        refused.push_back(&r);
      }
    }
    if (wait) {
      CHECK(ok == appliers);
      // The ones that waited found nothing left to do.
      int no_change = 0;
      for (const auto& r : results)
        no_change += r.out.find("No changes: the clusters match the specs.") != std::string::npos;
      CHECK(no_change == appliers - 1);
      f.applies_waited += appliers - 1;
    } else {
      CHECK(ok == 1);
      REQUIRE(winner != nullptr);
      for (const auto* r : refused) {
        CHECK(r->err.find("state is locked by pid " + std::to_string(winner->pid) + " on ") !=
              std::string::npos);
        CHECK(r->err.find("(provision apply, since ") != std::string::npos);
      }
      f.refused += static_cast<long long>(refused.size());
    }
    CHECK(failures == 0);

    // Every cluster exactly once, created once in all, updated once per round.
    const auto state = provision::test::state_clusters(state_path);
    const auto live = provision::test::emulator_clusters(cloud.dir() / "emulator-data");
    CHECK(static_cast<int>(state.size()) == clusters);
    f.duplicates += provision::test::check_state_matches_emulator(state, live);
    f.creates = static_cast<long long>(cloud.requests("CreateRayCluster"));
    f.updates = static_cast<long long>(cloud.requests("UpdateRayCluster"));
    CHECK(f.creates == clusters);
    // Round r (r >= 1) updates the clusters that existed before it: base + r - 1.
    const long long expected_updates =
        round == 0 ? 0 : static_cast<long long>(round) * (2 * base + round - 1) / 2;
    CHECK(f.updates == expected_updates);
    f.applies += appliers;
    f.plans += plans;
    f.lists += lists;
    f.plan_failures += failures;
    ++f.rounds;
  }
  // A final plan sees nothing to do.
  auto final_plan = cloud.provision({"plan", "specs", "--detailed-exitcode"});
  CHECK(final_plan.exit_code == 0);

  provision::test::report(
      "concurrency",
      {{"variant", is_long ? "long" : "short"},
       {"rounds", figure(f.rounds)},
       {"clusters", figure(static_cast<long long>(provision::test::state_clusters(state_path).size()))},
       {"applies", figure(f.applies)},
       {"waited", figure(f.applies_waited)},
       {"refused", figure(f.refused)},
       {"plans", figure(f.plans)},
       {"state_lists", figure(f.lists)},
       {"reader_failures", figure(f.plan_failures)},
       {"creates", figure(f.creates)},
       {"updates", figure(f.updates)},
       {"duplicates", figure(f.duplicates)},
       {"wall_ms", provision::test::figure_ms(std::chrono::steady_clock::now() - started)}});
}
