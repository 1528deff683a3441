// Group commit on a real state file: changes made while a save is in flight share
// the next save, a flush returns only once its change is on disk, and a failed save
// fails exactly the tasks whose changes it held.
#include "engine/group_commit.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <cerrno>
#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include "core/error.hpp"
#include "unit/engine/desired_cluster_fixture.hpp"

using namespace provision;
using namespace provision::engine;
using namespace provision::test;
namespace net = boost::asio;

namespace {

// Holds a save (on the save thread) until `count` tasks have registered, bounded.
void wait_for(const std::atomic<int>& count, int expected) {
  for (int i = 0; i < 10'000 && count.load() < expected; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

// What the file holds for `name`, read through a separate StateFile.
std::optional<state::Phase> phase_on_disk(const std::filesystem::path& path, const std::string& name) {
  SeededRandom random(99);
  const state::State s = state::LocalStore(path).load(random);
  auto it = s.clusters.find(desired(name).identity);
  if (it == s.clusters.end()) return std::nullopt;
  return it->second.phase;
}

// What the tasks of one test share (coroutines take it by pointer: their frames
// outlive any reference or lambda capture).
struct Shared {
  Shared(StateWriter& w, GroupCommit& c, std::filesystem::path p)
      : writer(w), commit(c), path(std::move(p)) {}
  StateWriter& writer;
  GroupCommit& commit;
  std::filesystem::path path;
  std::atomic<int> registered{0};
  int durable = 0;
  int saved = 0;
  int failed = 0;
  std::string message;
};

// Records a pending-create for `name`, awaits its flush, and checks the file at the
// moment the Create would be sent.
net::awaitable<void> create_task(Shared* t, std::string name) {
  const auto previous = t->writer.record_pending_create(desired(name));
  ++t->registered;
  try {
    co_await t->commit.flush();
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kState);
    t->message = e.what();
    ++t->failed;
    CHECK(phase_on_disk(t->path, "c0") == state::Phase::kPendingCreate);  // the last good file
    CHECK(!phase_on_disk(t->path, name).has_value());
    t->writer.undo_pending_create(desired(name).identity, previous);
    co_return;
  }
  ++t->saved;
  if (phase_on_disk(t->path, name) == state::Phase::kPendingCreate) ++t->durable;
}

net::awaitable<void> flush_only(GroupCommit* commit, bool* done) {
  co_await commit->flush();
  *done = true;
}

void spawn(net::io_context& io, net::awaitable<void> work) {
  net::co_spawn(io, std::move(work), [](const std::exception_ptr& e) {
    if (e) std::rethrow_exception(e);
  });
}

void run(net::io_context& io) {
  io.restart();
  io.run_for(std::chrono::seconds(60));
  REQUIRE_MESSAGE(io.stopped(), "the work did not finish within the bound");
}

}  // namespace

TEST_CASE_FIXTURE(
    StateFixture,
    "changes made while a save is in flight go into one save, each flush returns with its change on disk") {
  net::io_context io;
  {
    GroupCommit commit(io, writer);
    Shared t(writer, commit, file.path());
    std::atomic<int> saves_started{0};
    writer.set_fault_hook([&](state::WriteStep step) {
      // The first save waits until all five tasks made their change and wait.
      if ((step == state::WriteStep::kCreateTemp || step == state::WriteStep::kAppend) &&
          saves_started++ == 0)
        wait_for(t.registered, 5);
      return 0;
    });
    for (int i = 0; i < 5; ++i) spawn(io, create_task(&t, "c" + std::to_string(i)));
    run(io);
    CHECK(commit.saves() == 2);  // c0 alone, then c1..c4 together
    CHECK(t.saved == 5);
    CHECK(t.durable == 5);
  }
  CHECK(s.serial == 2);
  CHECK(writer.saved_changes() == 5);
  CHECK(file.load(random).clusters.size() == 5);
}

TEST_CASE_FIXTURE(StateFixture, "a flush with nothing new returns at once without a save") {
  net::io_context io;
  GroupCommit commit(io, writer);
  bool done = false;
  spawn(io, flush_only(&commit, &done));
  run(io);
  CHECK(done);
  CHECK(commit.saves() == 0);
  CHECK(!std::filesystem::exists(file.path()));
}

TEST_CASE_FIXTURE(
    StateFixture,
    "a failed save fails every task whose change it held, keeps the last good file, and the next save "
    "works") {
  net::io_context io;
  {
    GroupCommit commit(io, writer);
    Shared t(writer, commit, file.path());
    std::atomic<int> saves_started{0};
    writer.set_fault_hook([&](state::WriteStep step) {
      if (step != state::WriteStep::kCreateTemp && step != state::WriteStep::kAppend) return 0;
      const int n = saves_started++;
      if (n == 0) wait_for(t.registered, 4);
      return n == 1 ? ENOSPC : 0;  // the second save (c1..c3) fails
    });
    for (int i = 0; i < 4; ++i) spawn(io, create_task(&t, "c" + std::to_string(i)));
    run(io);
    CHECK(t.saved == 1);
    CHECK(t.failed == 3);
    CHECK(t.message.find("No space left on device") != std::string::npos);

    // The next change saves normally and carries the take-backs with it.
    spawn(io, create_task(&t, "c4"));
    run(io);
    CHECK(t.saved == 2);
    CHECK(t.durable == 2);
    CHECK(commit.saves() == 3);
  }
  const auto on_disk = file.load(random);
  CHECK(on_disk.clusters.size() == 2);  // c0 and c4
  CHECK(on_disk.clusters.count(desired("c4").identity) == 1);
  CHECK(on_disk.serial == 2);
  CHECK(s.serial == 2);
}
