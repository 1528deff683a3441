// Fault matrix: apply many clusters while the emulator injects every fault kind
// (500, 503, throttle, reset, drop-after-commit, slow) at 30%, rerun until the apply
// succeeds, then prove that the emulator holds exactly one cluster per spec and that
// the state's ids are the emulator's. 200 clusters: one seed by default,
// five with PROVISION_LONG=1.
#include <doctest/doctest.h>

#include "reliability/cloud_audit.hpp"
#include "support/postgres_server.hpp"

namespace audit = provision::test::audit;
using provision::test::read_file;
using provision::test::RunResult;
using provision::test::TempDir;

namespace {

constexpr int kMaxRuns = 10;  // the first apply plus at most 9 reruns

// Requests that repeat an (action, path) whose previous request failed (a fault or
// another error): the client's retries, and its lookups after an ambiguous create.
std::size_t retries_in(const std::filesystem::path& log) {
  std::map<std::string, bool> last_failed;
  std::size_t retries = 0;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const audit::json::value doc = audit::json::parse(line);
    const auto& o = doc.as_object();
    const std::string key = audit::string_at(o, "action") + " " + audit::string_at(o, "path");
    const auto status = o.at("status").to_number<std::int64_t>();
    const bool failed = !audit::string_at(o, "fault").empty() || status == 0 || status >= 400;
    auto [it, fresh] = last_failed.try_emplace(key, false);
    if (!fresh && it->second) ++retries;
    it->second = failed;
  }
  return retries;
}

struct MatrixResult {
  int runs = 0;
  audit::AccessLogCounts counts;
  std::size_t retries = 0;
  audit::Audit audit;
};

// With `db`, the state lives in that PostgreSQL server instead of the local file.
MatrixResult run_matrix(int seed, int clusters, const provision::test::PostgresServer* db = nullptr) {
  TempDir dir;
  auto provision = [&](const audit::Emulator& emulator, std::vector<std::string> args) {
    auto o = audit::provision_options(dir.path(), std::chrono::seconds(300));
    if (db) {
      for (const auto& [k, v] : db->env()) o.env[k] = v;
      o.env["PROVISION_STATE"] = db->uri();
    }
    return provision::test::run(audit::provision_argv(emulator, std::move(args)), o);
  };
  // The state's records: read raw from the local files, or listed from the database.
  auto records = [&](const audit::Emulator& emulator) {
    if (!db) return audit::state_records(dir / ".provision/state.json");
    return audit::listed_state(provision(emulator, {"state", "list", "--output", "json"}));
  };
  const auto names = audit::write_specs(dir, "fm", clusters);
  const auto data = dir / "emulator-data";
  const auto fault_log = dir / "access-faults.log";
  MatrixResult result;
  bool done = false;
  {
    // A slow answer comes after 3 s; the client gives each call 2 s, so every slow
    // fault is a timeout after the create (or poll) was committed.
    audit::Emulator faulty(
        data, fault_log,
        {"--fault-rate", "0.3", "--seed", std::to_string(seed), "--slow-delay", "3", "--start-delay", "0.2"});
    std::string last;
    while (!done && result.runs < kMaxRuns) {
      ++result.runs;
      const RunResult r = provision(faulty, {"apply", "specs", "--auto-approve", "--request-timeout", "2",
                                             "--parallelism", "20", "--timeout", "120"});
      done = r.exit_code == 0;
      if (!done)
        last = "exit " + std::to_string(r.exit_code) + " signal " + std::to_string(r.signal) + "\n" +
               r.out.substr(r.out.size() > 3000 ? r.out.size() - 3000 : 0);
      // A failed run must never leave a damaged state behind.
      REQUIRE_MESSAGE(provision(faulty, {"state", "list"}).exit_code == 0, "run " << result.runs);
    }
    CHECK_MESSAGE(done,
                  "seed " << seed << ": no apply succeeded in " << kMaxRuns << " runs; the last: " << last);
    faulty.stop();
  }
  // The same data directory without faults: the CLI's view must agree with the files.
  audit::Emulator clean(data, dir / "access-clean.log", {"--start-delay", "0"});
  result.counts = audit::access_log_counts(fault_log);
  result.retries = retries_in(fault_log);
  const auto raw = records(clean);
  result.audit = audit::audit(names, audit::server_clusters(data), raw);
  if (!done) return result;  // the audit says what went wrong

  const RunResult listing = provision(clean, {"state", "list", "--output", "json"});
  REQUIRE_MESSAGE(listing.exit_code == 0, listing.err);
  const auto listed = audit::listed_state(listing);
  REQUIRE(listed.size() == raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) CHECK(listed[i].id == raw[i].id);

  const RunResult status = provision(clean, {"status", "--output", "json"});
  REQUIRE_MESSAGE(status.exit_code == 0, status.err);
  // status lists the workspace (ListRayCluster) and reports each managed cluster's live state.
  std::size_t running = 0;
  std::set<std::string> status_ids, state_ids;
  std::istringstream lines(status.out);
  for (std::string line; std::getline(lines, line);) {
    const audit::json::value doc = audit::json::parse(line);
    const auto& o = doc.as_object();
    if (audit::string_at(o, "type") != "cluster") continue;
    status_ids.insert(audit::string_at(o, "clusterId"));
    if (audit::string_at(o, "state") == "Running") ++running;
  }
  for (const auto& r : raw) state_ids.insert(r.id);
  CHECK(running == static_cast<std::size_t>(clusters));
  CHECK(status_ids == state_ids);
  const RunResult plan = provision(clean, {"plan", "specs", "--refresh", "--detailed-exitcode"});
  CHECK_MESSAGE(plan.exit_code == 0, plan.out, plan.err);
  clean.stop();
  return result;
}

}  // namespace

TEST_CASE("fault matrix: every fault kind at 30%, reruns converge to one cluster per spec") {
  const bool long_run = audit::long_variant();
  const int clusters = 200;
  const std::vector<int> seeds = long_run ? std::vector<int>{1, 2, 3, 4, 5} : std::vector<int>{7};
  for (const int seed : seeds) {
    const auto start = audit::SteadyClock::now();
    MatrixResult r = run_matrix(seed, clusters);
    const auto seconds = static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                 audit::SteadyClock::now() - start)
                                                 .count()) /
                         1000.0;
    std::size_t faulted = 0;
    for (const auto& [kind, n] : r.counts.faults) faulted += n;
    std::ostringstream line;
    line << "scenario=fault-matrix variant=" << (long_run ? "long" : "short") << " seed=" << seed
         << " clusters=" << clusters << " runs=" << r.runs << " requests=" << r.counts.requests
         << " faulted=" << faulted << " closed=" << r.counts.closed << " retries=" << r.retries
         << " creates=" << r.counts.by_action["CreateRayCluster"]
         << " creates_committed=" << r.counts.creates_committed
         << " lists=" << r.counts.by_action["ListRayCluster"] << audit::fault_fields(r.counts)
         << " server_clusters=" << r.audit.server << " duplicates=" << r.audit.duplicates
         << " lost=" << r.audit.lost << " unknown=" << r.audit.unknown << " pending=" << r.audit.pending
         << " seconds=" << seconds;
    audit::report(line.str());
    INFO("seed ", seed, ":", r.audit.detail);
    CHECK(r.audit.server == static_cast<std::size_t>(clusters));
    CHECK(r.audit.duplicates == 0);
    CHECK(r.audit.lost == 0);
    CHECK(r.audit.unknown == 0);
    CHECK(r.audit.pending == 0);
    // Every kind was injected, so every path was exercised (30% of hundreds of requests).
    for (const auto& kind : audit::fault_kinds()) CHECK_MESSAGE(r.counts.faults.count(kind) == 1, kind);
  }
}

TEST_CASE("fault matrix against the PostgreSQL store: every fault kind at 30%, one cluster per spec") {
  provision::test::PostgresServer db;
  const int clusters = 200;
  const int seed = 7;
  MatrixResult r = run_matrix(seed, clusters, &db);
  std::size_t faulted = 0;
  for (const auto& [kind, n] : r.counts.faults) faulted += n;
  audit::report("scenario=fault-matrix-postgresql seed=" + std::to_string(seed) +
                " clusters=" + std::to_string(clusters) + " runs=" + std::to_string(r.runs) +
                " requests=" + std::to_string(r.counts.requests) + " faulted=" + std::to_string(faulted) +
                " server_clusters=" + std::to_string(r.audit.server) +
                " duplicates=" + std::to_string(r.audit.duplicates) +
                " lost=" + std::to_string(r.audit.lost) + " unknown=" + std::to_string(r.audit.unknown) +
                " pending=" + std::to_string(r.audit.pending));
  INFO(r.audit.detail);
  CHECK(r.audit.server == static_cast<std::size_t>(clusters));
  CHECK(r.audit.duplicates == 0);
  CHECK(r.audit.lost == 0);
  CHECK(r.audit.unknown == 0);
  CHECK(r.audit.pending == 0);
  CHECK(db.sql("SELECT count(*) FROM provision_clusters") == std::to_string(clusters) + "\n");
}

TEST_CASE("the audit finds a forgotten id, an unknown cluster and a duplicate in real files") {
  TempDir dir;
  const auto names = audit::write_specs(dir, "au", 3);
  const auto data = dir / "emulator-data";
  const auto state_file = dir / ".provision/state.json";
  {
    audit::Emulator emulator(data, dir / "access.log", {"--start-delay", "0"});
    REQUIRE(audit::provision(dir.path(), emulator, {"apply", "specs", "--auto-approve"}).exit_code == 0);
    CHECK(audit::audit(names, audit::server_clusters(data), audit::state_records(state_file)).clean());
    REQUIRE(audit::provision(dir.path(), emulator, {"state", "rm", "au-0"}).exit_code == 0);
    emulator.stop();
  }
  const audit::Audit forgotten =
      audit::audit(names, audit::server_clusters(data), audit::state_records(state_file));
  CHECK(forgotten.lost == 1);
  CHECK(forgotten.unknown == 1);
  CHECK(forgotten.duplicates == 0);

  // A second cluster named au-1 on the emulator, as a blindly retried create would make.
  auto doc = audit::json::parse(read_file(data / "clusters.json"));
  auto& list = doc.at("clusters").as_array();
  for (const auto& c : audit::json::array(list))
    if (c.at("spec").at("name") == "au-1") {
      auto copy = c.as_object();
      copy["clusterId"] = "ray-duplicate00000000";
      list.push_back(copy);
    }
  std::ofstream(data / "clusters.json") << audit::json::serialize(doc);
  const audit::Audit dup =
      audit::audit(names, audit::server_clusters(data), audit::state_records(state_file));
  CHECK(dup.server == 4);
  CHECK(dup.duplicates == 1);
  CHECK(dup.lost == 2);  // au-0 (forgotten) and au-1 (two clusters for one spec)
  CHECK_FALSE(dup.clean());
}
