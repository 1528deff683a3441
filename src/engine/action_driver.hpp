// Carries out one planned action: asks the reconcile machine for the next step,
// performs it (an API request, a saved record change, a pause) and reports the
// outcome back, until the machine finishes. No decision is made here.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>

#include "core/clock.hpp"
#include "engine/events.hpp"
#include "engine/group_commit.hpp"
#include "engine/plan.hpp"
#include "engine/reconcile_machine.hpp"
#include "engine/runner.hpp"
#include "engine/state_writer.hpp"

namespace provision::engine {

reconcile::Limits limits_of(const RunOptions& options);

class ActionDriver {
 public:
  // All references must outlive the driver.
  ActionDriver(const PlannedAction& action, const ClientFor& clients, StateWriter& writer,
               GroupCommit& commit, const RunOptions& options, EventSink& sink, const MonotonicClock& clock);

  boost::asio::awaitable<void> run();
  const ClusterResult& result() const { return result_; }

 private:
  boost::asio::awaitable<reconcile::Outcome> perform(const reconcile::Step& step);
  boost::asio::awaitable<reconcile::Outcome> send(const reconcile::Request& request);
  boost::asio::awaitable<reconcile::Outcome> commit(const reconcile::RecordChange& change);
  const state::ClusterIdentity& identity_of(reconcile::Subject subject) const;
  const DesiredCluster& desired() const;
  std::chrono::milliseconds elapsed() const;
  void report(const std::string& stage, const std::string& message, bool finished = false,
              const Hint& hint = {});

  const PlannedAction& action_;
  const ClientFor& clients_;
  StateWriter& writer_;
  GroupCommit& group_commit_;
  EventSink& sink_;
  const MonotonicClock& clock_;
  reconcile::Machine machine_;
  ClusterResult result_;
  std::optional<state::ClusterRecord> before_pending_create_;  // for kUndoPendingCreate
  std::chrono::steady_clock::time_point start_;
};

}  // namespace provision::engine
