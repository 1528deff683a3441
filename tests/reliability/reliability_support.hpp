// Shared by the stateconc reliability scenarios: long/short variant switch, the
// RELIABILITY figure lines, and readers for the state file and the emulator's store.
#pragma once

#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace provision::test {

// PROVISION_LONG=1 selects the long variant (the figures the issue asks for).
inline bool long_variant() {
  const char* v = std::getenv("PROVISION_LONG");
  return v != nullptr && std::string(v) == "1";
}

// One figure line: `RELIABILITY scenario=<name> k=v ...`, flushed at once.
inline void report(const std::string& scenario,
                   const std::vector<std::pair<std::string, std::string>>& figures) {
  std::ostringstream line;
  line << "RELIABILITY scenario=" << scenario;
  for (const auto& [k, v] : figures) line << ' ' << k << '=' << v;
  std::cout << line.str() << std::endl;
}

inline std::string figure(long long v) { return std::to_string(v); }
inline std::string figure_ms(std::chrono::steady_clock::duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
}

// The cluster records of a local state, read raw, independently of provision's loader
// (doc/state-format.md): the snapshot's clusters, then each complete journal line newer
// than the snapshot's serial (an incomplete last line is not a batch), in identity order.
// Fails the test if the snapshot is not JSON of the documented shape.
inline std::vector<boost::json::object> local_state_records(const std::filesystem::path& state_path) {
  std::vector<boost::json::object> out;
  if (!std::filesystem::exists(state_path)) return out;
  using Key = std::tuple<std::string, std::string, std::string>;
  auto key_of = [](const boost::json::object& o) {
    return Key{std::string(o.at("regionId").as_string()), std::string(o.at("workspaceId").as_string()),
               std::string(o.at("name").as_string())};
  };
  boost::system::error_code ec;
  const auto doc = boost::json::parse(read_file(state_path), ec);
  REQUIRE_MESSAGE(!ec, "state file is not JSON: ", state_path.string());
  REQUIRE(doc.is_object());
  REQUIRE(doc.as_object().contains("checksum"));
  const auto serial = doc.at("serial").to_number<std::uint64_t>();
  std::map<Key, boost::json::object> records;
  for (const auto& c : doc.at("clusters").as_array()) records[key_of(c.as_object())] = c.as_object();
  const auto journal_path = std::filesystem::path(state_path.string() + ".journal");
  const std::string journal = std::filesystem::exists(journal_path) ? read_file(journal_path) : "";
  std::size_t at = 0;
  for (std::size_t end; (end = journal.find('\n', at)) != std::string::npos; at = end + 1) {
    const auto batch = boost::json::parse(journal.substr(at, end - at), ec);
    REQUIRE_MESSAGE(!ec, "journal line is not JSON: ", journal_path.string());
    if (batch.at("serial").to_number<std::uint64_t>() <= serial) continue;
    for (const auto& change : batch.at("changes").as_array()) {
      const auto& c = change.as_object();
      if (const auto* put = c.if_contains("put"))
        records[key_of(put->as_object())] = put->as_object();
      else
        records.erase(key_of(c.at("remove").as_object()));
    }
  }
  for (auto& [key, r] : records) out.push_back(std::move(r));
  return out;
}

// name -> clusterId of a local state; fails the test if a name appears twice.
inline std::map<std::string, std::string> state_clusters(const std::filesystem::path& state_path) {
  std::map<std::string, std::string> out;
  for (const auto& c : local_state_records(state_path)) {
    const std::string name(c.at("name").as_string());
    CHECK_MESSAGE(out.count(name) == 0, "cluster twice in the state: ", name);
    out[name] = std::string(c.at("clusterId").as_string());
  }
  return out;
}

// The emulator's clusters: clusterId -> name. Reads the snapshot `clusters.json` and,
// where the emulator keeps one, replays `clusters.journal` over it ({"put":<record>} or
// {"erase":"<id>"} per line; a last line without its newline is an unanswered write).
inline std::map<std::string, std::string> emulator_clusters(const std::filesystem::path& data_dir) {
  std::map<std::string, std::string> out;
  auto put = [&](const boost::json::value& c) {
    out[std::string(c.at("clusterId").as_string())] = std::string(c.at("spec").at("name").as_string());
  };
  if (std::filesystem::exists(data_dir / "clusters.json")) {
    const auto doc = boost::json::parse(read_file(data_dir / "clusters.json"));
    for (const auto& c : doc.at("clusters").as_array()) put(c);
  }
  if (std::filesystem::exists(data_dir / "clusters.journal")) {
    const std::string journal = read_file(data_dir / "clusters.journal");
    for (std::size_t at = 0, end; (end = journal.find('\n', at)) != std::string::npos; at = end + 1) {
      const auto line = boost::json::parse(journal.substr(at, end - at)).as_object();
      if (const auto* record = line.if_contains("put")) put(*record);
      if (const auto* id = line.if_contains("erase")) out.erase(std::string(id->as_string()));
    }
  }
  return out;
}

// Checks that every cluster is in the emulator exactly once and the state's ids are
// the emulator's; returns how many names appear more than once in the emulator.
inline int check_state_matches_emulator(const std::map<std::string, std::string>& state,
                                        const std::map<std::string, std::string>& live) {
  std::map<std::string, int> per_name;
  for (const auto& [id, name] : live) ++per_name[name];
  int duplicates = 0;
  for (const auto& [name, n] : per_name) {
    CHECK_MESSAGE(n == 1, "the emulator holds ", n, " clusters named ", name);
    if (n > 1) duplicates += n - 1;
  }
  CHECK(state.size() == live.size());
  for (const auto& [name, id] : state) {
    const auto it = live.find(id);
    CHECK_MESSAGE(it != live.end(), "state id ", id, " of ", name, " is not in the emulator");
    if (it != live.end()) CHECK(it->second == name);
  }
  return duplicates;
}

// `provision plan` on one new spec in `dir` (it must list the workspace, so it calls
// `endpoint`) with the demo credentials, a call limit and a limit for the whole run.
inline RunResult plan_one_spec(const TempDir& dir, const std::string& endpoint, const std::string& ca,
                               int request_timeout_s, std::chrono::milliseconds run_timeout) {
  dir.write(
      "specs/one.yaml",
      "apiVersion: provision/v1\nkind: RayCluster\nmetadata:\n  name: one\n  workspaceId: w-it\n"
      "  regionId: cn-hangzhou\nspec:\n  displayReleaseVersion: \"ray-1.0.0 (Ray 2.47.1, Python 3.12)\"\n"
      "  headSpec: {queueName: root_queue, cpu: 2, memory: 8Gi}\n");
  RunOptions o;
  o.cwd = dir.path().string();
  o.env = {{"ALIBABA_CLOUD_ACCESS_KEY_ID", "demo-access-key-id"},
           {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "demo-access-key-secret"},
           {"NO_COLOR", "1"}};
  o.unset_env = {"ALIBABA_CLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_PROFILE"};
  o.timeout = run_timeout;
  return run({PROVISION_BINARY, "plan", "specs", "--endpoint", endpoint, "--ca-file", ca, "--request-timeout",
              std::to_string(request_timeout_s)},
             o);
}

}  // namespace provision::test
