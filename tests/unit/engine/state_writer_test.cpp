// The run's state writer on a real state file: changes are counted in memory and
// each save_now() makes them durable; a pending-create can be taken back.
#include "engine/state_writer.hpp"

#include <doctest/doctest.h>

#include <cerrno>
#include <filesystem>

#include "core/error.hpp"
#include "unit/engine/desired_cluster_fixture.hpp"

using namespace provision;
using namespace provision::engine;
using namespace provision::test;

TEST_CASE_FIXTURE(
    StateFixture,
    "each change is durable after save_now: pending-create, created, updated, pending-delete, forgotten") {
  const auto d = desired("a");

  writer.record_pending_create(d);
  writer.save_now();
  CHECK(file.load(random).clusters.at(d.identity).phase == state::Phase::kPendingCreate);
  writer.record_created(d.identity, d.spec_file, "ray-1", &d);
  writer.save_now();
  auto on_disk = file.load(random).clusters.at(d.identity);
  CHECK(on_disk.phase == state::Phase::kCreated);
  CHECK(on_disk.cluster_id == "ray-1");
  CHECK(on_disk.body_sha256 == d.body_sha256);
  CHECK(on_disk.created_at == "2026-11-18T11:06:40Z");

  auto changed = d;
  changed.body_sha256 = std::string(64, 'c');
  writer.record_updated(changed);
  writer.save_now();
  CHECK(file.load(random).clusters.at(d.identity).body_sha256 == changed.body_sha256);
  writer.record_pending_delete(d.identity, "ray-1");
  writer.save_now();
  CHECK(file.load(random).clusters.at(d.identity).phase == state::Phase::kPendingDelete);
  writer.forget(d.identity);
  writer.save_now();
  CHECK(file.load(random).clusters.empty());
  CHECK(s.serial == 5);
}

TEST_CASE_FIXTURE(StateFixture,
                  "adopting without a known body leaves the hash empty, so the next plan updates") {
  const auto d = desired("a");
  writer.record_created(d.identity, d.spec_file, "ray-9", nullptr);
  writer.save_now();
  auto r = file.load(random).clusters.at(d.identity);
  CHECK(r.body_sha256.empty());
  CHECK(r.applied_body.empty());
}

TEST_CASE_FIXTURE(StateFixture, "changes are counted, and save_now writes them all at once") {
  writer.record_pending_create(desired("a"));
  writer.record_pending_create(desired("b"));
  CHECK(writer.changes() == 2);
  CHECK(writer.saved_changes() == 0);
  CHECK(file.load(random).clusters.empty());  // memory only, so far
  writer.save_now();
  CHECK(writer.saved_changes() == 2);
  CHECK(file.load(random).clusters.size() == 2);
  CHECK(s.serial == 1);
  writer.save_now();  // nothing new: no save
  CHECK(s.serial == 1);
}

TEST_CASE_FIXTURE(StateFixture,
                  "a pending-create taken back restores the record it replaced, or removes it") {
  const auto d = desired("a");
  auto none = writer.record_pending_create(d);
  CHECK_FALSE(none.has_value());
  writer.undo_pending_create(d.identity, none);
  CHECK(s.clusters.empty());

  writer.record_created(d.identity, d.spec_file, "ray-1", &d);
  auto previous = writer.record_pending_create(d);
  REQUIRE(previous.has_value());
  CHECK(s.clusters.at(d.identity).phase == state::Phase::kPendingCreate);
  writer.undo_pending_create(d.identity, previous);
  CHECK(s.clusters.at(d.identity).cluster_id == "ray-1");
  CHECK(s.clusters.at(d.identity).phase == state::Phase::kCreated);
}

TEST_CASE_FIXTURE(StateFixture, "a failed save_now leaves the changes unsaved and the file as it was") {
  writer.record_pending_create(desired("a"));
  writer.save_now();
  writer.record_pending_create(desired("b"));
  writer.set_fault_hook([](state::WriteStep step) {
    return step == state::WriteStep::kSyncTemp || step == state::WriteStep::kSyncAppend ? EIO : 0;
  });
  CHECK_THROWS_AS(writer.save_now(), Error);
  CHECK(writer.saved_changes() == 1);
  CHECK(file.load(random).clusters.size() == 1);
  writer.set_fault_hook({});
  writer.save_now();
  CHECK(file.load(random).clusters.size() == 2);
}
