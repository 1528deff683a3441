// The run loop and one Task per cluster. Everything runs on the caller's thread
// inside io.run(); tasks interleave only at co_await, so the StateWriter needs no lock.
// Only the saves run elsewhere (GroupCommit); a task awaits the flush of its change
// before its next request.
#include "engine/runner.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

#include "core/error.hpp"
#include "engine/group_commit.hpp"

namespace provision::engine {
namespace net = boost::asio;
using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

// Failed GetRayCluster polls in a row (each after the client's own retries) before a wait gives up.
constexpr int kMaxPollFailures = 3;

ErrorKind kind_of(const api::ApiFailure& f) {
  return f.http_status == 0 ? ErrorKind::kNetwork : ErrorKind::kApi;
}

[[noreturn]] void fail(const api::ApiFailure& f) { throw Error(kind_of(f), f.message); }

std::string seconds(milliseconds d) { return std::to_string((d.count() + 500) / 1000) + "s"; }

net::awaitable<void> sleep_for(milliseconds d) {
  net::steady_timer timer(co_await net::this_coro::executor);
  timer.expires_after(d);
  co_await timer.async_wait(use_tuple);
}

bool changes_something(ActionKind k) {
  return k == ActionKind::kCreate || k == ActionKind::kUpdate || k == ActionKind::kDelete ||
         k == ActionKind::kReplace || k == ActionKind::kAdopt;
}

// One cluster's work, from the first request to its result.
class Task {
 public:
  Task(const PlannedAction& action, api::RayClusterClient& client, StateWriter& writer, GroupCommit& commit,
       const RunOptions& options, EventSink& sink)
      : a_(action), client_(client), writer_(writer), commit_(commit), options_(options), sink_(sink) {
    result_.identity = action.identity;
    result_.action = action.kind;
    cluster_id_ = action.cluster_id;
  }

  const ClusterResult& result() const { return result_; }

  net::awaitable<void> run() {
    start_ = SteadyClock::now();
    try {
      co_await dispatch();
      result_.ok = true;
    } catch (const Error& e) {
      result_.ok = false;
      result_.failure = e.kind();
      result_.message = e.what();
    }
    result_.cluster_id = cluster_id_;
    result_.live_state = live_state_;
    result_.elapsed = elapsed();
    ClusterEvent event = make_event(result_.ok ? "done" : "failed", result_.message);
    event.finished = true;
    event.ok = result_.ok;
    sink_.on_event(event);
  }

 private:
  net::awaitable<void> dispatch() {
    switch (a_.kind) {
      case ActionKind::kCreate:
        co_await create(*a_.desired);
        break;
      case ActionKind::kUpdate:
        co_await update(*a_.desired);
        break;
      case ActionKind::kAdopt:
        co_await adopt(*a_.desired);
        break;
      case ActionKind::kDelete:
        co_await destroy(a_.identity);
        co_return;
      case ActionKind::kReplace:
        cluster_id_ = a_.replaced_cluster_id;
        co_await destroy(*a_.replaces);
        cluster_id_.clear();
        co_await create(*a_.desired);
        break;
      default:
        co_return;
    }
    if (options_.wait) co_await wait_running();
  }

  const std::string& workspace() const { return a_.identity.workspace_id; }

  milliseconds elapsed() const {
    return std::chrono::duration_cast<milliseconds>(SteadyClock::now() - start_);
  }

  ClusterEvent make_event(const std::string& stage, const std::string& message) const {
    ClusterEvent e;
    e.identity = a_.identity;
    e.action = a_.kind;
    e.stage = stage;
    e.cluster_id = cluster_id_;
    e.live_state = live_state_;
    e.elapsed = elapsed();
    e.message = message;
    return e;
  }

  void emit(const std::string& stage, const std::string& message = "") {
    if (&stage != &stage_) stage_ = stage;
    sink_.on_event(make_event(stage, message));
  }

  void check_deadline(SteadyClock::time_point deadline, const std::string& goal) const {
    if (SteadyClock::now() >= deadline)
      throw Error(ErrorKind::kNetwork, "timed out after " + seconds(options_.timeout) + " waiting for " +
                                           a_.identity.name + " (" + cluster_id_ + ") to be " + goal +
                                           " (last state " + (live_state_.empty() ? "unknown" : live_state_) +
                                           ")");
  }

  net::awaitable<void> pause(milliseconds& delay, SteadyClock::time_point deadline) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now());
    co_await sleep_for(std::max(milliseconds(1), std::min(delay, left)));
    delay = std::min(delay * 2, options_.poll_max);
  }

  // The cluster, or nothing when the API says it does not exist. A poll that fails
  // even after the client's retries is tolerated a few times in a row: waiting is
  // long, and a passing network problem should not fail it.
  net::awaitable<std::optional<api::ClusterInfo>> get() {
    for (int failures = 1;; ++failures) {
      auto r = co_await client_.get_ray_cluster(workspace(), cluster_id_);
      if (r) {
        live_state_ = r.value().state;
        if (!r.value().dashboard_url.empty()) result_.dashboard_url = r.value().dashboard_url;
        co_return std::move(r).value();
      }
      if (is_not_found(r.failure())) co_return std::nullopt;
      if (r.failure().kind == api::FailureKind::kFinal || failures >= kMaxPollFailures) fail(r.failure());
      emit(stage_, "polling failed, trying again: " + r.failure().detail);
      co_await sleep_for(options_.poll_initial);
    }
  }

  // Every live cluster in the workspace named like this one (a fresh listing).
  net::awaitable<std::vector<std::string>> ids_by_name(const std::string& why) {
    auto l = co_await client_.list_ray_clusters(workspace());
    if (!l)
      throw Error(kind_of(l.failure()), why + ", and listing workspace " + workspace() +
                                            " to find out failed: " + l.failure().message +
                                            "; the pending-create record stays, so the next "
                                            "apply resolves it by name");
    std::vector<std::string> ids;
    for (const auto& c : l.value())
      if (c.name == a_.identity.name) ids.push_back(c.cluster_id);
    co_return ids;
  }

  [[noreturn]] void conflict(const std::vector<std::string>& ids) const {
    std::string list;
    for (const auto& id : ids) list += (list.empty() ? "" : ", ") + id;
    throw Error(ErrorKind::kApi,
                std::to_string(ids.size()) + " clusters named '" + a_.identity.name +
                    "' exist in workspace " + workspace() + " (" + list +
                    "); provision will not guess: delete the extra ones or import the right one "
                    "with 'provision state import'");
  }

  net::awaitable<void> create(const DesiredCluster& d) {
    const auto previous = writer_.record_pending_create(d);
    try {
      co_await commit_.flush();  // durably, before the POST
    } catch (const Error&) {
      writer_.undo_pending_create(d.identity, previous);  // the create is not sent
      throw;
    }
    for (int attempt = 1;; ++attempt) {
      emit("creating");
      auto r = co_await client_.create_ray_cluster(workspace(), d.body);
      if (r) {
        cluster_id_ = r.value().cluster_id;
        writer_.record_created(d.identity, d.spec_file, cluster_id_, &d);
        co_await commit_.flush();
        emit("created");
        co_return;
      }
      const api::ApiFailure& f = r.failure();
      if (f.kind == api::FailureKind::kFinal) {
        writer_.forget(d.identity);  // rejected: nothing was created
        co_await commit_.flush();
        fail(f);
      }
      emit("looking-up",
           "the create's outcome is unknown (" + f.detail + "): looking the cluster up by name");
      auto ids = co_await ids_by_name("the create's outcome is unknown (" + f.message + ")");
      if (ids.size() > 1) conflict(ids);
      if (ids.size() == 1) {
        cluster_id_ = ids.front();
        writer_.record_created(d.identity, d.spec_file, cluster_id_, &d);
        co_await commit_.flush();
        emit("adopted", "the create had succeeded: adopted " + cluster_id_);
        co_return;
      }
      if (attempt >= options_.max_create_attempts) {
        writer_.forget(d.identity);  // the listing shows it was not created
        co_await commit_.flush();
        fail(f);
      }
    }
  }

  net::awaitable<void> update(const DesiredCluster& d) {
    emit("updating");
    auto r = co_await client_.update_ray_cluster(workspace(), cluster_id_, d.body);
    if (!r) {
      if (is_not_found(r.failure()))
        throw Error(ErrorKind::kApi, "cluster " + cluster_id_ +
                                         " no longer exists (deleted outside provision?); "
                                         "'provision plan --refresh' shows it, 'provision state rm " +
                                         a_.identity.name + "' forgets it");
      fail(r.failure());
    }
    writer_.record_updated(d);
    co_await commit_.flush();
  }

  net::awaitable<void> adopt(const DesiredCluster& d) {
    // After a pending-create, the body we sent is the one the cluster has.
    const bool body_known = a_.resolves_pending_create && !a_.update_after_adopt;
    writer_.record_created(d.identity, d.spec_file, cluster_id_, body_known ? &d : nullptr);
    co_await commit_.flush();
    emit("adopted");
    if (a_.update_after_adopt) co_await update(d);
  }

  net::awaitable<void> wait_running() {
    const auto deadline = SteadyClock::now() + options_.timeout;
    milliseconds delay = options_.poll_initial;
    std::string start_token;
    bool started = false;
    for (;;) {
      auto info = co_await get();
      if (!info)
        throw Error(ErrorKind::kApi,
                    "cluster " + cluster_id_ + " disappeared while waiting for it to be Running");
      if (info->state == "Running") co_return;
      if (info->state == "Error")
        throw Error(ErrorKind::kApi,
                    "cluster " + a_.identity.name + " (" + cluster_id_ +
                        ") is in state Error: " + (info->message.empty() ? "no message" : info->message));
      if (info->state == "Stopped" && !started) {
        emit("starting");
        auto s = co_await client_.start_ray_cluster(workspace(), cluster_id_, start_token);
        if (!s) fail(s.failure());
        start_token = s.value().client_token;
        started = true;
      } else {
        emit("waiting");
      }
      check_deadline(deadline, "Running");
      co_await pause(delay, deadline);
    }
  }

  // Stop, wait for Stopped, Delete, confirm it is gone, forget it.
  net::awaitable<void> destroy(const state::ClusterIdentity& id) {
    if (cluster_id_.empty()) {
      // A pending create: find out whether it happened.
      emit("looking-up");
      auto ids = co_await ids_by_name("the cluster's create never finished");
      if (ids.size() > 1) conflict(ids);
      if (ids.empty()) {
        writer_.forget(id);
        co_await commit_.flush();
        co_return;
      }
      cluster_id_ = ids.front();
    }
    writer_.record_pending_delete(id, cluster_id_);
    co_await commit_.flush();
    const auto deadline = SteadyClock::now() + options_.timeout;
    milliseconds delay = options_.poll_initial;
    bool stop_sent = false;
    int unknown_outcomes = 0;
    // A Stop or Delete whose answer was lost (reset, timeout, 500) is not an error yet: the
    // cluster's state says whether it happened, and the next turn sends it again if not.
    auto tolerate = [&](const api::ApiFailure& f, const char* what) {
      if (f.kind == api::FailureKind::kFinal || ++unknown_outcomes >= options_.max_unknown_outcomes) fail(f);
      emit("checking", std::string("the ") + what + "'s outcome is unknown (" + f.detail +
                           "): checking the cluster's state");
    };
    for (;;) {
      auto info = co_await get();
      if (!info) {
        writer_.forget(id);
        co_await commit_.flush();
        co_return;
      }
      if (info->state == "Stopped" || info->state == "Error") {
        emit("deleting");
        auto d = co_await client_.delete_ray_cluster(workspace(), cluster_id_);
        if (d || is_not_found(d.failure())) break;
        tolerate(d.failure(), "delete");
      } else if (info->state == "Running" && !stop_sent) {
        emit("stopping");
        auto s = co_await client_.stop_ray_cluster(workspace(), cluster_id_, info->instance_id);
        if (s || is_not_found(s.failure())) {
          stop_sent = true;
        } else {
          tolerate(s.failure(), "stop");
        }
      } else {
        emit("waiting");
      }
      check_deadline(deadline, "Stopped");
      co_await pause(delay, deadline);
    }
    delay = options_.poll_initial;
    for (;;) {
      emit("confirming");
      if (!co_await get()) break;
      check_deadline(deadline, "gone");
      co_await pause(delay, deadline);
    }
    live_state_ = "Deleted";
    writer_.forget(id);
    co_await commit_.flush();
  }

  const PlannedAction& a_;
  api::RayClusterClient& client_;
  StateWriter& writer_;
  GroupCommit& commit_;
  const RunOptions& options_;
  EventSink& sink_;
  ClusterResult result_;
  std::string cluster_id_;
  std::string live_state_;
  std::string stage_;
  SteadyClock::time_point start_;
};

// One workspace's listing into `live`; a failure is collected, not thrown, so
// every workspace is tried. Parameters by value or pointer: coroutine frames outlive references.
net::awaitable<void> list_workspace(api::RayClusterClient& client, WorkspaceKey key, LiveClusters* live,
                                    std::vector<std::string>* failures, ErrorKind* kind) {
  auto r = co_await client.list_ray_clusters(key.workspace_id);
  if (!r) {
    if (kind_of(r.failure()) == ErrorKind::kApi) *kind = ErrorKind::kApi;
    failures->push_back("listing workspace " + key.workspace_id + " (region " + key.region_id +
                        ") failed: " + r.failure().message);
    co_return;
  }
  auto& clusters = (*live)[key];
  for (const auto& info : r.value()) clusters.push_back(live_from_info(info));
}

// Runs `io` until the spawned work is done, rethrowing an escaped exception.
void run_until_done(net::io_context& io, std::exception_ptr& error) {
  io.restart();
  io.run();
  if (error) std::rethrow_exception(error);
}

}  // namespace

LiveCluster live_from_info(const api::ClusterInfo& info) {
  return {info.cluster_id, info.name, info.state, info.message, info.dashboard_url, info.raw};
}

bool is_not_found(const api::ApiFailure& f) {
  if (f.http_status < 400 || f.http_status >= 500) return false;
  if (f.code.rfind("InvalidAccessKeyId", 0) == 0 || f.code.rfind("InvalidAction", 0) == 0) return false;
  auto ends_with = [&](const std::string& suffix) {
    return f.code.size() >= suffix.size() &&
           f.code.compare(f.code.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends_with("NotFound") || ends_with("NotExist") || ends_with("NotExists");
}

LiveClusters Runner::list_workspaces(const std::vector<WorkspaceKey>& keys) {
  LiveClusters live;
  std::vector<std::string> failures;
  ErrorKind kind = ErrorKind::kNetwork;
  std::exception_ptr error;
  for (const auto& key : keys)
    net::co_spawn(io_, list_workspace(clients_(key.region_id), key, &live, &failures, &kind),
                  [&error](const std::exception_ptr& e) {
                    if (e && !error) error = e;
                  });
  run_until_done(io_, error);
  if (!failures.empty()) {
    std::string message = failures.front();
    for (std::size_t i = 1; i < failures.size(); ++i) message += "\n" + failures[i];
    throw Error(kind, message);
  }
  return live;
}

RunSummary Runner::run(const Plan& plan, StateWriter& writer, const RunOptions& options) {
  GroupCommit commit(io_, writer);
  std::vector<std::unique_ptr<Task>> tasks;
  for (const auto& action : plan.actions)
    if (changes_something(action.kind))
      tasks.push_back(std::make_unique<Task>(action, clients_(action.identity.region_id), writer, commit,
                                             options, sink_));
  std::exception_ptr error;
  std::size_t next = 0;
  std::size_t remaining = tasks.size();
  net::steady_timer ticker(io_);
  auto worker = [&]() -> net::awaitable<void> {
    while (next < tasks.size()) {
      Task& task = *tasks[next++];
      co_await task.run();
      if (--remaining == 0) ticker.cancel();
    }
  };
  auto tick = [&]() -> net::awaitable<void> {
    while (remaining > 0) {
      ticker.expires_after(std::chrono::seconds(1));
      co_await ticker.async_wait(use_tuple);
      if (remaining > 0) sink_.on_tick();
    }
  };
  const std::size_t workers = std::min(std::max<std::size_t>(options.parallelism, 1), tasks.size());
  auto on_done = [&error](const std::exception_ptr& e) {
    if (e && !error) error = e;
  };
  for (std::size_t i = 0; i < workers; ++i) net::co_spawn(io_, worker(), on_done);
  if (!tasks.empty()) net::co_spawn(io_, tick(), on_done);
  run_until_done(io_, error);
  RunSummary summary;
  for (const auto& t : tasks) summary.results.push_back(t->result());
  return summary;
}

}  // namespace provision::engine
