// One save in flight at a time on a one-thread pool; its waiters are woken on the
// io thread when it ends, and whoever still waits starts the next one.
#include "engine/group_commit.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <vector>

namespace provision::engine {
namespace net = boost::asio;

namespace {

// A task waiting until the changes up to `changes` are durable; the timer never
// expires and is cancelled to wake it.
class Waiter {
 public:
  Waiter(net::io_context& io, std::uint64_t changes) : changes_(changes), timer_(io) {
    timer_.expires_at(net::steady_timer::time_point::max());
  }
  std::uint64_t changes() const { return changes_; }
  bool done() const { return done_; }
  const std::exception_ptr& error() const { return error_; }
  net::steady_timer& timer() { return timer_; }
  void wake(const std::exception_ptr& error) {
    error_ = error;
    done_ = true;
    timer_.cancel();
  }

 private:
  std::uint64_t changes_;
  net::steady_timer timer_;
  std::exception_ptr error_;
  bool done_ = false;
};

}  // namespace

struct GroupCommit::Impl {
  Impl(net::io_context& context, StateWriter& state_writer) : io(context), writer(state_writer) {}

  // On the io thread: snapshot every change so far and save it on the pool.
  void start() {
    in_flight = true;
    auto snapshot = std::make_shared<StateWriter::Snapshot>(writer.snapshot());
    net::post(pool, [this, snapshot, guard = net::make_work_guard(io)]() mutable {
      std::exception_ptr error;
      try {
        writer.write(*snapshot);
      } catch (...) {
        error = std::current_exception();
      }
      net::post(io, [this, snapshot, error, guard = std::move(guard)] { finish(*snapshot, error); });
    });
  }

  // On the io thread: wake the waiters this save covered; the next save starts after
  // they ran, so that what they change at once still joins it.
  void finish(const StateWriter::Snapshot& snapshot, const std::exception_ptr& error) {
    ++saves;
    if (!error) writer.written(snapshot);
    std::vector<Waiter*> rest;
    for (Waiter* w : waiters) {
      if (w->changes() <= snapshot.changes)
        w->wake(error);
      else
        rest.push_back(w);
    }
    waiters.swap(rest);
    net::post(io, [this] {
      in_flight = false;
      if (!waiters.empty()) start();
    });
  }

  net::io_context& io;
  StateWriter& writer;
  net::thread_pool pool{1};
  bool in_flight = false;
  std::vector<Waiter*> waiters;
  std::size_t saves = 0;
};

GroupCommit::GroupCommit(net::io_context& io, StateWriter& writer)
    : impl_(std::make_unique<Impl>(io, writer)) {}

GroupCommit::~GroupCommit() { impl_->pool.join(); }

std::size_t GroupCommit::saves() const { return impl_->saves; }

net::awaitable<void> GroupCommit::flush() {
  Impl& m = *impl_;
  const std::uint64_t target = m.writer.changes();
  if (target <= m.writer.saved_changes()) co_return;
  Waiter waiter(m.io, target);
  m.waiters.push_back(&waiter);
  if (!m.in_flight) m.start();
  while (!waiter.done()) co_await waiter.timer().async_wait(net::as_tuple(net::use_awaitable));
  if (waiter.error()) std::rethrow_exception(waiter.error());
}

}  // namespace provision::engine
