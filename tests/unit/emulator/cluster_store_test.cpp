#include "emulator/cluster_store.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <vector>

#include "core/error.hpp"
#include "handler_harness.hpp"
#include "support/temp_dir.hpp"

using namespace provision;
using namespace provision::emulator;
using namespace provision::emulator::test;

TEST_CASE("committed changes survive a new store on the same file") {
  provision::test::TempDir dir;
  auto file = dir / "clusters.json";
  std::string id;
  boost::json::object before;
  {
    Harness h(fast_settings(), file);
    id = h.create("persisted");
    h.create("second");
    h.advance(std::chrono::seconds(5));
    CHECK(h.call("POST", kBase + "/" + id + "/stop", "StopRayCluster", "{}").status == 200);
    before = h.get(id);
  }
  Harness restarted(fast_settings(), file);
  restarted.store.load();
  restarted.clock.advance(std::chrono::seconds(5));
  CHECK(restarted.store.size() == 2);
  auto after = restarted.get(id);
  CHECK(after.at("name") == before.at("name"));
  CHECK(after.at("instanceId") == before.at("instanceId"));
  CHECK(after.at("createTime") == before.at("createTime"));
  CHECK(after.at("state").as_string() == "Stopping");  // still within the 2 s of its Stop
  restarted.advance(std::chrono::seconds(2));
  CHECK(restarted.state(id) == "Stopped");
  // New clusters keep listing after the old ones.
  restarted.create("third");
  auto list = boost::json::parse(restarted.call("GET", kBase, "ListRayCluster").body);
  CHECK(list.at("rayClusters").at(2).at("name").as_string() == "third");
}

TEST_CASE("a damaged store file is reported with its name") {
  provision::test::TempDir dir;
  for (const char* text : {"{not json", R"({"version":2,"clusters":[]})", R"({"version":1})",
                           R"({"version":1,"clusters":[{"clusterId":"x"}]})"}) {
    auto file = dir.write("clusters.json", text);
    ClusterStore store(file);
    CHECK_THROWS_WITH_AS(store.load(), doctest::Contains("clusters.json"), Error);
  }
}

TEST_CASE("an absent file is an empty store") {
  provision::test::TempDir dir;
  ClusterStore store(dir / "clusters.json");
  store.load();
  CHECK(store.size() == 0);
}

namespace {

std::uintmax_t size_of(const std::filesystem::path& file) {
  std::error_code ec;
  auto n = std::filesystem::file_size(file, ec);
  return ec ? 0 : n;
}

}  // namespace

TEST_CASE("a commit appends only the change to the journal, compact folds it into the snapshot") {
  provision::test::TempDir dir;
  auto file = dir / "clusters.json";
  auto journal = dir / "clusters.journal";
  std::vector<std::string> ids;
  {
    Harness h(fast_settings(), file);
    std::vector<std::uintmax_t> growth;
    for (int i = 0; i < 40; ++i) {
      auto before = size_of(journal);
      ids.push_back(h.create("c" + std::to_string(i)));
      growth.push_back(size_of(journal) - before);
    }
    // The snapshot is not rewritten per change, and a change costs the same at 40 clusters as
    // at 1 (the same record size), not the size of the store.
    CHECK_FALSE(std::filesystem::exists(file));
    CHECK(growth.front() > 0);
    CHECK(growth.back() < 2 * growth.front());
    h.advance(std::chrono::seconds(5));
    CHECK(h.call("POST", kBase + "/" + ids[0] + "/stop", "StopRayCluster", "{}").status == 200);
    h.advance(std::chrono::seconds(5));
    CHECK(h.call("DELETE", kBase + "/" + ids[0], "DeleteRayCluster").status == 200);
  }
  {
    ClusterStore reloaded(file);
    reloaded.load();
    CHECK(reloaded.size() == 39);
    CHECK_FALSE(reloaded.contains_id(ids[0]));
    REQUIRE(reloaded.find(kWorkspace, ids[1]));
    reloaded.compact();
  }
  CHECK(std::filesystem::exists(file));
  CHECK_FALSE(std::filesystem::exists(journal));
  Harness restarted(fast_settings(), file);
  restarted.store.load();
  CHECK(restarted.store.size() == 39);
  restarted.clock.advance(std::chrono::seconds(5));
  CHECK(restarted.state(ids[1]) == "Running");
}

TEST_CASE("a torn last journal line is ignored and cut off before the next append") {
  provision::test::TempDir dir;
  auto file = dir / "clusters.json";
  auto journal = dir / "clusters.journal";
  std::string first;
  {
    Harness h(fast_settings(), file);
    first = h.create("first");
  }
  {
    // A crash in the middle of writing the next change: a line without its newline.
    std::ofstream out(journal, std::ios::app | std::ios::binary);
    out << R"({"put":{"clusterId":"ray-torn)";
  }
  std::string second;
  {
    Harness h(fast_settings(), file);
    h.store.load();
    CHECK(h.store.size() == 1);
    second = h.create("second");
  }
  ClusterStore reloaded(file);
  reloaded.load();
  CHECK(reloaded.size() == 2);
  CHECK(reloaded.contains_id(first));
  CHECK(reloaded.contains_id(second));
}

TEST_CASE("a damaged complete journal line is reported with the journal's name and line") {
  provision::test::TempDir dir;
  for (const char* text : {"{not json}\n", "[1]\n",
                           R"({"put":{"clusterId":"x"}})"
                           "\n",
                           R"({"remove":"x"})"
                           "\n"}) {
    dir.write("clusters.journal", text);
    ClusterStore store(dir / "clusters.json");
    CHECK_THROWS_WITH_AS(store.load(), doctest::Contains("clusters.journal: line 1"), Error);
  }
}

TEST_CASE("settling a start delay persists the new state with the next commit") {
  provision::test::TempDir dir;
  auto file = dir / "clusters.json";
  std::string id;
  {
    Harness h(fast_settings(), file);
    id = h.create("a");
    h.advance(std::chrono::seconds(3));  // Running now, settled by the next request
    h.create("b");
  }
  ClusterStore reloaded(file);
  reloaded.load();
  REQUIRE(reloaded.find(kWorkspace, id));
  CHECK(reloaded.find(kWorkspace, id)->state == ClusterState::kRunning);
}

TEST_CASE("a journal that outgrows the snapshot is folded into it by the next commit") {
  provision::test::TempDir dir;
  auto file = dir / "clusters.json";
  auto journal = dir / "clusters.journal";
  std::vector<std::string> ids;
  ClusterStore store(file, 4096);
  for (int i = 0; i < 12; ++i) {
    ClusterRecord r;
    r.cluster_id = "ray-" + std::to_string(1000 + i);
    r.workspace_id = kWorkspace;
    r.instance_id = r.cluster_id + "-i";
    r.spec = boost::json::parse(minimal_body("c" + std::to_string(i))).as_object();
    store.insert(std::move(r));
    store.commit();
    ids.push_back("ray-" + std::to_string(1000 + i));
    // Never more than the larger of the limit and the snapshot, plus the last change.
    CHECK(size_of(journal) <= std::max<std::uintmax_t>(4096, size_of(file)) + 2048);
  }
  CHECK(std::filesystem::exists(file));  // at least one fold happened
  ClusterStore reloaded(file);
  reloaded.load();
  CHECK(reloaded.size() == ids.size());
  for (const auto& id : ids) CHECK(reloaded.contains_id(id));
}
