// run_changes, the sequence apply and destroy share: what runs, and what is never touched,
// when the plan step stops, the plan has no changes, or the approval is refused.
#include "engine/apply.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

#include "state/local_store.hpp"
#include "state/state_codec.hpp"
#include "support/temp_dir.hpp"
#include "unit/engine/desired_cluster_fixture.hpp"

using namespace provision;
using namespace provision::engine;
using provision::test::desired;
using provision::test::kClock;
using provision::test::TempDir;

namespace {

// An API that must not be used: these runs send nothing.
class UnusedApi final : public ApiAccess {
 public:
  boost::asio::io_context& io() override { fail(); }
  ClientFor clients() override { fail(); }

 private:
  [[noreturn]] static void fail() {
    FAIL("the API was used");
    throw std::logic_error("unreachable");
  }
};

class NoEvents final : public EventSink {
 public:
  void on_event(const ClusterEvent&) override {}
};

Plan plan_creating(const std::string& name) {
  PlannedAction a;
  a.kind = ActionKind::kCreate;
  a.desired = desired(name);
  a.identity = a.desired->identity;
  a.spec_file = a.desired->spec_file;
  return {{a}};
}

struct Fixture {
  TempDir dir;
  state::LocalStore store{dir / "state.json"};
  SeededRandom random{3};
  UnusedApi api;
  NoEvents events;
  RunContext context{store, api, events, kClock, random};
  const LockRequest lock{"provision test", std::chrono::milliseconds(0)};
  int approvals = 0;
  ApproveStep approve_with(bool answer) {
    return [this, answer](const Plan&) {
      ++approvals;
      return answer;
    };
  }
};

}  // namespace

TEST_CASE_FIXTURE(Fixture, "a plan step that stops: no plan, no question, nothing sent") {
  const RunResult r = run_changes(context, lock, [](const state::State&) { return std::optional<Plan>(); },
                                  approve_with(true), {});
  CHECK_FALSE(r.plan);
  CHECK_FALSE(r.ran);
  CHECK(approvals == 0);
}

TEST_CASE_FIXTURE(Fixture, "a plan without changes is not offered for approval and runs nothing") {
  const RunResult r = run_changes(
      context, lock, [](const state::State&) { return std::optional<Plan>(Plan{}); }, approve_with(true), {});
  REQUIRE(r.plan);
  CHECK_FALSE(r.plan->has_changes());
  CHECK_FALSE(r.cancelled);
  CHECK_FALSE(r.ran);
  CHECK(approvals == 0);
}

TEST_CASE_FIXTURE(Fixture, "a refused approval cancels: nothing sent, the state unchanged") {
  const RunResult r =
      run_changes(context, lock, [](const state::State&) { return std::optional<Plan>(plan_creating("a")); },
                  approve_with(false), {});
  CHECK(approvals == 1);
  CHECK(r.cancelled);
  CHECK_FALSE(r.ran);
  CHECK(store.load(random).serial == 0);
}

TEST_CASE_FIXTURE(Fixture, "the plan step sees the state as stored, read under the lock") {
  state::State s = store.load(random);
  state::ClusterRecord record;
  record.identity = desired("a").identity;
  record.cluster_id = "ray-1";
  record.phase = state::Phase::kCreated;
  record.created_at = record.updated_at = "2026-11-18T11:06:40Z";
  store.commit(
      s, {{record.identity, std::make_shared<const state::EncodedRecord>(state::encode_record(record))}});
  std::string seen;
  run_changes(context, lock,
              [&seen](const state::State& current) {
                for (const auto& [id, r] : current.clusters) seen += r.cluster_id;
                return std::optional<Plan>();
              },
              approve_with(true), {});
  CHECK(seen == "ray-1");
}
