// The renewal rule as a table, and the refreshing provider: one shared renewal for concurrent
// requests, a shared failure, renewal when due, invalidate(id) of the current keys only.
#include "api/credentials_refresh.hpp"

#include <doctest/doctest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "api/refreshing_credentials.hpp"
#include "api_test_names.hpp"
#include "core/error.hpp"
#include "run_coroutine.hpp"

namespace {

const SystemTime kT0 = std::chrono::system_clock::time_point{} + std::chrono::hours(24 * 365 * 50);

// A fetch that waits a little (so concurrent callers overlap) and counts its calls.
struct FakeSts {
  FixedClock& clock;
  std::chrono::seconds lifetime;
  int calls = 0;
  bool fail = false;

  net::awaitable<TemporaryCredentials> fetch() {
    const int n = ++calls;
    net::steady_timer timer(co_await net::this_coro::executor);
    timer.expires_after(20ms);
    co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    if (fail) throw Error(ErrorKind::kCredentials, "STS AssumeRoleWithOIDC failed (code X)");
    TemporaryCredentials t{Credentials{"STS.key" + std::to_string(n), "secret", "token", "test"},
                           clock.now() + lifetime};
    co_return t;
  }
};

}  // namespace

TEST_CASE("renewal time: 180 s before expiry, halfway for lifetimes under 6 minutes") {
  struct Row {
    std::chrono::milliseconds lifetime;
    std::chrono::milliseconds renew_after;  // from `obtained`
  };
  const Row rows[] = {
      {3600s, 3420s}, {900s, 720s}, {361s, 181s}, {360s, 180s}, {300s, 150s}, {5s, 2500ms}, {1s, 500ms},
  };
  for (const auto& row : rows) {
    INFO("lifetime " << row.lifetime.count() << " ms");
    CHECK(renewal_time(kT0, kT0 + row.lifetime) - kT0 == row.renew_after);
  }
  CHECK(renewal_time(kT0, kT0) == kT0);
  CHECK(renewal_time(kT0, kT0 - 10s) == kT0);
  CHECK_FALSE(renewal_due(kT0 + 3419s, kT0, kT0 + 3600s));
  CHECK(renewal_due(kT0 + 3420s, kT0, kT0 + 3600s));
  CHECK(renewal_due(kT0 + 4000s, kT0, kT0 + 3600s));
}

TEST_CASE("concurrent requests share one renewal, and reuse it until it is due") {
  net::io_context io;
  FixedClock clock(kT0);
  FakeSts sts{clock, 3600s};
  RefreshingCredentialsProvider provider([&] { return sts.fetch(); }, clock);
  std::vector<std::string> seen;
  for (int i = 0; i < 10; ++i)
    net::co_spawn(
        io,
        [&]() -> net::awaitable<void> { seen.push_back((co_await provider.credentials()).access_key_id); },
        net::detached);
  io.run_for(5s);
  REQUIRE(seen.size() == 10);
  CHECK(sts.calls == 1);
  for (const auto& id : seen) CHECK(id == "STS.key1");

  clock.advance(3419s);
  CHECK(provision::test::run_coroutine(io, provider.credentials()).access_key_id == "STS.key1");
  CHECK(sts.calls == 1);
  clock.advance(1s);  // 180 s before expiry
  CHECK(provision::test::run_coroutine(io, provider.credentials()).access_key_id == "STS.key2");
  CHECK(sts.calls == 2);
  CHECK(provider.fetches() == 2);

  provider.invalidate("STS.key1");  // an older key reported late: already renewed, nothing to do
  CHECK(provision::test::run_coroutine(io, provider.credentials()).access_key_id == "STS.key2");
  CHECK(sts.calls == 2);
  provider.invalidate("STS.key2");
  CHECK(provision::test::run_coroutine(io, provider.credentials()).access_key_id == "STS.key3");
}

TEST_CASE("a failed renewal fails every request that waited for it, and the next request tries again") {
  net::io_context io;
  FixedClock clock(kT0);
  FakeSts sts{clock, 3600s};
  sts.fail = true;
  RefreshingCredentialsProvider provider([&] { return sts.fetch(); }, clock);
  int failures = 0;
  for (int i = 0; i < 5; ++i)
    net::co_spawn(
        io,
        [&]() -> net::awaitable<void> {
          try {
            co_await provider.credentials();
          } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::kCredentials);
            ++failures;
          }
        },
        net::detached);
  io.run_for(5s);
  CHECK(failures == 5);
  CHECK(sts.calls == 1);
  sts.fail = false;
  CHECK(provision::test::run_coroutine(io, provider.credentials()).access_key_id == "STS.key2");
}

TEST_CASE("short-lived credentials are reused between renewals, not fetched per request") {
  net::io_context io;
  FixedClock clock(kT0);
  FakeSts sts{clock, 5s};
  RefreshingCredentialsProvider provider([&] { return sts.fetch(); }, clock);
  for (int i = 0; i < 20; ++i) {
    provision::test::run_coroutine(io, provider.credentials());
    clock.advance(500ms);
  }
  // 10 s of requests with a 5 s lifetime renewed every 2.5 s: 4 or 5 fetches, never 20.
  CHECK(sts.calls >= 4);
  CHECK(sts.calls <= 5);
}
