// One renewal at a time: a timer that never expires is the wake-up signal for the requests
// waiting on it (cancelled when the renewal ends); each waiter re-checks the state after waking.
#include "api/refreshing_credentials.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "api/credentials_refresh.hpp"

namespace provision::api {

struct RefreshingCredentialsProvider::Waiters {
  explicit Waiters(const boost::asio::any_io_executor& executor) : timer(executor) {
    timer.expires_at(boost::asio::steady_timer::time_point::max());
  }
  boost::asio::steady_timer timer;
};

RefreshingCredentialsProvider::RefreshingCredentialsProvider(Fetch fetch, const Clock& clock)
    : fetch_(std::move(fetch)), clock_(clock) {}

RefreshingCredentialsProvider::~RefreshingCredentialsProvider() = default;

void RefreshingCredentialsProvider::invalidate(std::string_view access_key_id) {
  if (cached_ && cached_->credentials.access_key_id == access_key_id) cached_.reset();
}

boost::asio::awaitable<void> RefreshingCredentialsProvider::renew() {
  renewing_ = true;
  const std::uint64_t number = ++fetches_;
  std::exception_ptr error;
  try {
    TemporaryCredentials fresh = co_await fetch_();
    cached_ = std::move(fresh);
    obtained_ = clock_.now();
    cached_fetch_ = number;
  } catch (...) {
    error = std::current_exception();
  }
  renewing_ = false;
  if (error) {
    failure_ = error;
    failed_fetch_ = number;
  }
  if (waiters_) waiters_->timer.cancel();
  if (error) std::rethrow_exception(error);
}

boost::asio::awaitable<Credentials> RefreshingCredentialsProvider::credentials() {
  for (;;) {
    if (cached_ && !renewal_due(clock_.now(), obtained_, cached_->expiration)) co_return cached_->credentials;
    if (!renewing_) {
      co_await renew();
      // Fresh credentials are used even if already due (a server clock ahead of ours): the
      // next request renews again instead of this one looping.
      co_return cached_->credentials;
    }
    const std::uint64_t awaited = fetches_;
    if (!waiters_) waiters_ = std::make_unique<Waiters>(co_await boost::asio::this_coro::executor);
    co_await waiters_->timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    if (renewing_ && fetches_ == awaited) continue;  // woken by something else: wait again
    if (failed_fetch_ == awaited && failure_) std::rethrow_exception(failure_);
    if (cached_ && cached_fetch_ >= awaited) co_return cached_->credentials;
  }
}

}  // namespace provision::api
