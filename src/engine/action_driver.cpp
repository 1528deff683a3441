// Runs on the engine's thread inside io.run(); actions interleave only at co_await,
// so the StateWriter needs no lock. A commit step waits for the GroupCommit flush of
// its change before the machine decides the next request.
#include "engine/action_driver.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/error.hpp"

namespace provision::engine {
namespace net = boost::asio;
using reconcile::OutcomeKind;
using reconcile::RequestKind;
using reconcile::Step;
using reconcile::StepKind;
using std::chrono::milliseconds;

namespace {

reconcile::Outcome failed(const api::ApiFailure& f, bool not_found_applies) {
  reconcile::Outcome o;
  if (not_found_applies && is_not_found(f)) {
    o.kind = OutcomeKind::kNotFound;
    return o;
  }
  o.kind = f.kind == api::FailureKind::kFinal ? OutcomeKind::kRejected : OutcomeKind::kUnknown;
  o.failure = {f.http_status == 0 ? ErrorKind::kNetwork : ErrorKind::kApi, f.message, f.hint};
  o.detail = f.detail;
  return o;
}

// The outcome of a request whose answer carries nothing the machine needs.
template <typename T>
reconcile::Outcome answered(const api::Outcome<T>& r, bool not_found_applies) {
  return r ? reconcile::Outcome::of(OutcomeKind::kOk) : failed(r.failure(), not_found_applies);
}

}  // namespace

reconcile::Limits limits_of(const RunOptions& o) {
  reconcile::Limits l;
  l.wait = o.wait;
  l.timeout = o.timeout;
  l.poll_initial = o.poll_initial;
  l.poll_max = o.poll_max;
  l.max_create_attempts = o.max_create_attempts;
  l.max_unknown_outcomes = o.max_unknown_outcomes;
  return l;
}

ActionDriver::ActionDriver(const PlannedAction& action, const ClientFor& clients, StateWriter& writer,
                           GroupCommit& commit, const RunOptions& options, EventSink& sink,
                           const MonotonicClock& clock)
    : action_(action),
      clients_(clients),
      writer_(writer),
      group_commit_(commit),
      sink_(sink),
      clock_(clock),
      machine_(reconcile::facts_of(action), limits_of(options)) {
  result_.identity = action.identity;
  result_.action = action.kind;
}

net::awaitable<void> ActionDriver::run() {
  start_ = clock_.now();
  try {
    reconcile::Outcome outcome;  // kBegin
    for (;;) {
      const Step step = machine_.next(outcome);
      for (const auto& n : step.notes) report(n.stage, n.message);
      if (step.kind == StepKind::kFinish) {
        result_.ok = !step.failure;
        if (step.failure) {
          result_.failure = step.failure->kind;
          result_.message = step.failure->message;
          result_.hint = step.failure->hint;
        }
        break;
      }
      outcome = co_await perform(step);
      outcome.now = elapsed();
    }
  } catch (const Error& e) {  // from the client (credentials) or the writer
    result_.ok = false;
    result_.failure = e.kind();
    result_.message = e.what();
    result_.hint = e.hint();
  }
  result_.cluster_id = machine_.cluster_id();
  result_.live_state = machine_.live_state();
  result_.elapsed = elapsed();
  report(result_.ok ? "done" : "failed", result_.message, true, result_.hint);
}

net::awaitable<reconcile::Outcome> ActionDriver::perform(const Step& step) {
  if (step.kind == StepKind::kSend) co_return co_await send(step.request);
  if (step.kind == StepKind::kCommit) co_return co_await commit(step.change);
  net::steady_timer timer(co_await net::this_coro::executor);
  timer.expires_after(step.wait);
  co_await timer.async_wait(net::as_tuple(net::use_awaitable));
  co_return reconcile::Outcome::of(OutcomeKind::kOk);
}

net::awaitable<reconcile::Outcome> ActionDriver::send(const reconcile::Request& req) {
  const state::ClusterIdentity& id = identity_of(req.subject);
  api::RayClusterClient& client = clients_(id.region_id);
  const std::string& ws = id.workspace_id;
  switch (req.kind) {
    case RequestKind::kCreate: {
      auto r = co_await client.create_ray_cluster(ws, desired().body);
      if (!r) co_return failed(r.failure(), false);
      auto o = reconcile::Outcome::of(OutcomeKind::kOk);
      o.cluster_id = r.value().cluster_id;
      co_return o;
    }
    case RequestKind::kUpdate:
      co_return answered(co_await client.update_ray_cluster(ws, req.cluster_id, desired().body), true);
    case RequestKind::kGet: {
      auto r = co_await client.get_ray_cluster(ws, req.cluster_id);
      if (!r) co_return failed(r.failure(), true);
      const api::ClusterInfo& info = r.value();
      if (!info.dashboard_url.empty()) result_.dashboard_url = info.dashboard_url;
      auto o = reconcile::Outcome::of(OutcomeKind::kOk);
      o.cluster = reconcile::ClusterView{reconcile::parse_live_state(info.state), info.state, info.message,
                                         info.instance_id};
      co_return o;
    }
    case RequestKind::kList: {
      auto r = co_await client.list_ray_clusters(ws);
      if (!r) co_return failed(r.failure(), false);
      auto o = reconcile::Outcome::of(OutcomeKind::kOk);
      for (const auto& c : r.value())
        if (c.name == id.name) o.matches.push_back(c.cluster_id);
      co_return o;
    }
    case RequestKind::kStart: {
      auto r = co_await client.start_ray_cluster(ws, req.cluster_id, req.start_token);
      if (!r) co_return failed(r.failure(), false);
      auto o = reconcile::Outcome::of(OutcomeKind::kOk);
      o.start_token = r.value().client_token;
      co_return o;
    }
    case RequestKind::kStop:
      co_return answered(co_await client.stop_ray_cluster(ws, req.cluster_id, req.instance_id), true);
    case RequestKind::kDelete:
      co_return answered(co_await client.delete_ray_cluster(ws, req.cluster_id), true);
  }
  throw Error(ErrorKind::kInternal, "unknown reconcile request");
}

net::awaitable<reconcile::Outcome> ActionDriver::commit(const reconcile::RecordChange& change) {
  const state::ClusterIdentity& id = identity_of(change.subject);
  switch (change.kind) {
    case reconcile::ChangeKind::kPendingCreate:
      before_pending_create_ = writer_.record_pending_create(desired());
      break;
    case reconcile::ChangeKind::kUndoPendingCreate:
      writer_.undo_pending_create(id, before_pending_create_);
      break;
    case reconcile::ChangeKind::kCreated:
      writer_.record_created(id, desired().spec_file, change.cluster_id,
                             change.body_known ? &desired() : nullptr);
      break;
    case reconcile::ChangeKind::kUpdated:
      writer_.record_updated(desired());
      break;
    case reconcile::ChangeKind::kPendingDelete:
      writer_.record_pending_delete(id, change.cluster_id);
      break;
    case reconcile::ChangeKind::kForget:
      writer_.forget(id);
      break;
  }
  auto o = reconcile::Outcome::of(OutcomeKind::kOk);
  if (!change.durable()) co_return o;
  try {
    co_await group_commit_.flush();
  } catch (const Error& e) {
    o.kind = OutcomeKind::kCommitFailed;
    o.failure = {e.kind(), e.what(), e.hint()};
  }
  co_return o;
}

// A replace destroys the old identity (its own workspace and region), then creates the new one.
const state::ClusterIdentity& ActionDriver::identity_of(reconcile::Subject subject) const {
  if (subject == reconcile::Subject::kExisting && action_.replaces) return *action_.replaces;
  return action_.identity;
}

const DesiredCluster& ActionDriver::desired() const {
  if (!action_.desired)
    throw Error(ErrorKind::kInternal, "a planned action needs a desired cluster it lacks");
  return *action_.desired;
}

milliseconds ActionDriver::elapsed() const {
  return std::chrono::duration_cast<milliseconds>(clock_.now() - start_);
}

void ActionDriver::report(const std::string& stage, const std::string& message, bool finished,
                          const Hint& hint) {
  ClusterEvent e;
  e.identity = action_.identity;
  e.action = action_.kind;
  e.stage = stage;
  e.cluster_id = machine_.cluster_id();
  e.live_state = machine_.live_state();
  e.elapsed = elapsed();
  e.message = message;
  e.hint = hint;
  e.finished = finished;
  e.ok = !finished || result_.ok;
  sink_.on_event(e);
}

}  // namespace provision::engine
