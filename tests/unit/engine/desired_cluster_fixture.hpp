// Test data the engine's state tests share: a minimal desired cluster, a fixed clock,
// and a local state with its writer.
#pragma once

#include <chrono>
#include <string>

#include "core/clock.hpp"
#include "engine/desired_cluster.hpp"
#include "engine/state_writer.hpp"
#include "state/local_store.hpp"
#include "support/temp_dir.hpp"

namespace provision::test {

// A cluster `name` in cn-hangzhou/w-1 with a one-field body.
inline engine::DesiredCluster desired(const std::string& name) {
  engine::DesiredCluster d;
  d.identity = {"cn-hangzhou", "w-1", name};
  d.spec_file = "specs/" + name + ".yaml";
  d.redacted_body = {{"name", name}};
  d.body = "{\"name\":\"" + name + "\"}";
  d.body_sha256 = std::string(64, 'b');
  return d;
}

inline const FixedClock kClock(std::chrono::system_clock::time_point(std::chrono::seconds(1'795'000'000)));

// A local store in a temporary folder, the state loaded from it and the one writer over
// it: use with TEST_CASE_FIXTURE.
struct StateFixture {
  TempDir dir;
  state::LocalStore file{dir / "state.json"};
  SeededRandom random{1};
  state::State s = file.load(random);
  engine::StateWriter writer{file, s, kClock};
};

}  // namespace provision::test
