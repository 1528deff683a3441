// The run loop: at most `parallelism` actions at once on the caller's thread, each
// carried out by an ActionDriver, plus a ticker for progress timers.
#include "engine/runner.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

#include "core/error.hpp"
#include "engine/action_driver.hpp"
#include "engine/group_commit.hpp"

namespace provision::engine {
namespace net = boost::asio;

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

// One workspace's listing into `live`; a failure is collected, not thrown, so
// every workspace is tried. Parameters by value or pointer: coroutine frames outlive references.
net::awaitable<void> list_workspace(api::RayClusterClient& client, WorkspaceKey key, LiveClusters* live,
                                    std::vector<std::string>* failures, ErrorKind* kind, Hint* hint) {
  auto r = co_await client.list_ray_clusters(key.workspace_id);
  if (!r) {
    if (r.failure().http_status != 0) *kind = ErrorKind::kApi;
    failures->push_back("listing workspace " + key.workspace_id + " (region " + key.region_id +
                        ") failed: " + r.failure().message);
    if (!*hint) *hint = r.failure().hint;  // one piece of advice for the whole message
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
  Hint hint;
  std::exception_ptr error;
  for (const auto& key : keys)
    net::co_spawn(io_, list_workspace(clients_(key.region_id), key, &live, &failures, &kind, &hint),
                  [&error](const std::exception_ptr& e) {
                    if (e && !error) error = e;
                  });
  run_until_done(io_, error);
  if (!failures.empty()) {
    std::string message = failures.front();
    for (std::size_t i = 1; i < failures.size(); ++i) message += "\n" + failures[i];
    throw Error(kind, message, hint);
  }
  return live;
}

RunSummary Runner::run(const Plan& plan, StateWriter& writer, const RunOptions& options) {
  GroupCommit commit(io_, writer);
  std::vector<std::unique_ptr<ActionDriver>> tasks;
  for (const auto& action : plan.actions)
    if (changes_something(action.kind))
      tasks.push_back(
          std::make_unique<ActionDriver>(action, clients_, writer, commit, options, sink_, clock_));
  std::exception_ptr error;
  std::size_t next = 0;
  std::size_t remaining = tasks.size();
  net::steady_timer ticker(io_);
  auto worker = [&]() -> net::awaitable<void> {
    while (next < tasks.size()) {
      ActionDriver& task = *tasks[next++];
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
