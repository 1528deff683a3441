// The run's state writer on a real state file: every change is on disk before the
// next request, and a pending-create that cannot be saved is not kept in memory.
#include "engine/state_writer.hpp"

#include <doctest/doctest.h>

#include <filesystem>

#include "core/error.hpp"
#include "support/temp_dir.hpp"

using namespace provision;
using namespace provision::engine;
using provision::test::TempDir;

namespace {

DesiredCluster desired(const std::string& name) {
  DesiredCluster d;
  d.identity = {"cn-hangzhou", "w-1", name};
  d.spec_file = "specs/" + name + ".yaml";
  d.redacted_body = {{"name", name}};
  d.body = "{\"name\":\"" + name + "\"}";
  d.body_sha256 = std::string(64, 'b');
  return d;
}

const FixedClock kClock(std::chrono::system_clock::time_point(std::chrono::seconds(1'795'000'000)));

}  // namespace

TEST_CASE("each change is saved at once: pending-create, created, updated, pending-delete, forgotten") {
  TempDir dir;
  state::StateFile file(dir / "state.json");
  SeededRandom random(1);
  state::State s = file.load(random);
  StateWriter writer(file, s, kClock);
  const auto d = desired("a");

  writer.record_pending_create(d);
  CHECK(file.load(random).clusters.at(d.identity).phase == state::Phase::kPendingCreate);
  writer.record_created(d.identity, d.spec_file, "ray-1", &d);
  auto on_disk = file.load(random).clusters.at(d.identity);
  CHECK(on_disk.phase == state::Phase::kCreated);
  CHECK(on_disk.cluster_id == "ray-1");
  CHECK(on_disk.body_sha256 == d.body_sha256);
  CHECK(on_disk.created_at == "2026-11-18T11:06:40Z");

  auto changed = d;
  changed.body_sha256 = std::string(64, 'c');
  writer.record_updated(changed);
  CHECK(file.load(random).clusters.at(d.identity).body_sha256 == changed.body_sha256);
  writer.record_pending_delete(d.identity, "ray-1");
  CHECK(file.load(random).clusters.at(d.identity).phase == state::Phase::kPendingDelete);
  writer.forget(d.identity);
  CHECK(file.load(random).clusters.empty());
  CHECK(s.serial == 5);
}

TEST_CASE("adopting without a known body leaves the hash empty, so the next plan updates") {
  TempDir dir;
  state::StateFile file(dir / "state.json");
  SeededRandom random(2);
  state::State s = file.load(random);
  StateWriter writer(file, s, kClock);
  const auto d = desired("a");
  writer.record_created(d.identity, d.spec_file, "ray-9", nullptr);
  auto r = file.load(random).clusters.at(d.identity);
  CHECK(r.body_sha256.empty());
  CHECK(r.applied_body.empty());
}

TEST_CASE("a pending-create that cannot be saved is rolled back, so the create is never sent") {
  TempDir dir;
  state::StateFile file(dir / "state.json");
  SeededRandom random(3);
  state::State s = file.load(random);
  StateWriter writer(file, s, kClock);
  // A directory where the state file should be makes every save fail.
  std::filesystem::create_directory(dir / "state.json");
  CHECK_THROWS_AS(writer.record_pending_create(desired("a")), Error);
  CHECK(s.clusters.empty());
}
