#include "emulator/cluster_store.hpp"

#include <doctest/doctest.h>

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
