// The HTTPS transport against a real TLS server on 127.0.0.1: success, trust and
// name failures, refused and silent peers, truncated/oversized/endless responses,
// keep-alive reuse and the bound on connections in flight.
#include "api/https_client.hpp"

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "api_test_names.hpp"
#include "core/error.hpp"
#include "run_coroutine.hpp"
#include "support/loopback_listener.hpp"
#include "support/scripted_server.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certificates.hpp"

namespace {

using Steady = std::chrono::steady_clock;

TransportOptions fast_options(const std::string& ca_file) {
  TransportOptions o;
  o.ca_file = ca_file;
  o.resolve_timeout = 2000ms;
  o.connect_timeout = 2000ms;
  o.handshake_timeout = 2000ms;
  o.write_timeout = 2000ms;
  o.read_timeout = 2000ms;
  return o;
}

HttpRequest get(const std::string& target = "/ping") {
  return HttpRequest{"GET", target, {{"host", "ignored-by-test-server"}, {"accept", "application/json"}}, ""};
}

// A fixture: a server, its CA written to a file, an io_context and a client trusting the CA.
struct Setup {
  explicit Setup(TestHandler handler, ScriptedServerOptions server_options = {},
                 const std::function<void(TransportOptions&)>& tweak = {})
      : server(std::move(handler), std::move(server_options)), ca_file(dir.write("ca.pem", server.ca_pem())) {
    TransportOptions o = fast_options(ca_file.string());
    if (tweak) tweak(o);
    client = std::make_unique<HttpsClient>(io, o);
  }
  TransportResult send(HttpRequest r = get(), std::chrono::milliseconds budget = 20'000ms) {
    return run_coroutine(
        io, client->send(Endpoint{"127.0.0.1", server.port()}, std::move(r), Steady::now() + budget));
  }
  TempDir dir;
  ScriptedServer server;
  std::filesystem::path ca_file;
  net::io_context io;
  std::unique_ptr<HttpsClient> client;
};

TestReply ok_reply(const TestRequest&, int index) {
  return TestReply::json(200, R"({"requestId":"r-)" + std::to_string(index) + R"("})",
                         {{"X-Acs-Request-Id", "h"}});
}

TransportError error_of(const TransportResult& r) {
  REQUIRE(std::holds_alternative<TransportError>(r));
  return std::get<TransportError>(r);
}

HttpResponse response_of(const TransportResult& r) {
  if (const auto* e = std::get_if<TransportError>(&r)) FAIL("transport error: " << e->reason);
  return std::get<HttpResponse>(r);
}

}  // namespace

TEST_CASE("success: status, headers and body, request sent as given, no SNI for an IP literal") {
  Setup s(ok_reply);
  HttpRequest r{
      "POST", "/api/v1/x?pageNum=1", {{"host", "127.0.0.1:1"}, {"x-acs-action", "Test"}}, R"({"a":1})"};
  const HttpResponse res = response_of(s.send(r));
  CHECK(res.status == 200);
  CHECK(res.body == R"({"requestId":"r-0"})");
  bool found = false;
  for (const auto& [n, v] : res.headers) found = found || (n == "X-Acs-Request-Id" && v == "h");
  CHECK(found);
  auto seen = s.server.received();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].method == "POST");
  CHECK(seen[0].target == "/api/v1/x?pageNum=1");
  CHECK(seen[0].header("host") == "127.0.0.1:1");
  CHECK(seen[0].header("x-acs-action") == "Test");
  CHECK(seen[0].header("content-length") == "7");
  CHECK(seen[0].body == R"({"a":1})");
  CHECK(seen[0].sni.empty());
  CHECK(s.client->stats().tls_handshakes == 1);
  CHECK(s.client->stats().requests_sent == 1);
}

TEST_CASE("SNI is sent for a DNS name, and the DNS SAN is accepted") {
  Setup s(ok_reply);
  auto result =
      run_coroutine(s.io, s.client->send(Endpoint{"localhost", s.server.port()}, get(), Steady::now() + 20s));
  CHECK(response_of(result).status == 200);
  auto seen = s.server.received();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].sni == "localhost");
}

TEST_CASE("wrong CA: the chain is not trusted, and the message says so") {
  Setup s(ok_reply);
  auto other = s.dir.write("other-ca.pem", unrelated_ca_pem());
  HttpsClient client(s.io, fast_options(other.string()));
  auto r =
      run_coroutine(s.io, client.send(Endpoint{"127.0.0.1", s.server.port()}, get(), Steady::now() + 20s));
  const auto e = error_of(r);
  CHECK(e.stage == TransportStage::kHandshake);
  CHECK_FALSE(e.request_may_have_arrived);
  CHECK(contains(e.reason, "not trusted"));
  CHECK(e.hint.kind == provision::HintKind::kTrustPrivateCa);  // the CLI names --ca-file
  CHECK(e.tls_refused);
  CHECK(s.server.requests() == 0);
}

TEST_CASE("no --ca-file: a private CA is not trusted by default") {
  Setup s(ok_reply);
  HttpsClient client(s.io, fast_options(""));
  auto r =
      run_coroutine(s.io, client.send(Endpoint{"127.0.0.1", s.server.port()}, get(), Steady::now() + 20s));
  CHECK(contains(error_of(r).reason, "not trusted"));
}

TEST_CASE("wrong host name: a trusted certificate for another name is refused") {
  ScriptedServerOptions options;
  options.dns_names = {"wrong.example"};
  options.ip_addresses = {};
  Setup s(ok_reply, options);
  const auto e = error_of(s.send());
  CHECK(e.stage == TransportStage::kHandshake);
  CHECK(contains(e.reason, "host name mismatch"));
  CHECK(e.tls_refused);
  CHECK(contains(e.reason, "'127.0.0.1'"));
  CHECK_FALSE(contains(e.reason, "not trusted"));
  CHECK(s.server.requests() == 0);
}

TEST_CASE("an unreadable --ca-file is a usage error") {
  TempDir dir;
  net::io_context io;
  CHECK_THROWS_AS(HttpsClient(io, fast_options((dir / "missing.pem").string())), Error);
  auto garbage = dir.write("garbage.pem", "not a certificate\n");
  try {
    HttpsClient client(io, fast_options(garbage.string()));
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kUsage);
    CHECK(contains(e.what(), "garbage.pem"));
    CHECK(e.hint().kind == provision::HintKind::kCaFile);
  }
}

TEST_CASE("connection refused fails at connect, before anything was sent") {
  net::io_context io;
  HttpsClient client(io, fast_options(""));
  auto r =
      run_coroutine(io, client.send(Endpoint{"127.0.0.1", unused_local_port()}, get(), Steady::now() + 20s));
  const auto e = error_of(r);
  CHECK(e.stage == TransportStage::kConnect);
  CHECK_FALSE(e.request_may_have_arrived);
  CHECK(contains(e.reason, "refused"));
}

TEST_CASE("a server that accepts and never speaks TLS times out in the handshake") {
  ScriptedServerOptions options;
  options.stall_before_handshake = true;
  Setup s(ok_reply, options, [](TransportOptions& o) { o.handshake_timeout = 300ms; });
  auto start = Steady::now();
  const auto e = error_of(s.send());
  CHECK(e.stage == TransportStage::kHandshake);
  CHECK_FALSE(e.request_may_have_arrived);
  CHECK(contains(e.reason, "timed out"));
  CHECK_FALSE(e.tls_refused);
  CHECK(Steady::now() - start < 15s);  // generous: the point is that it ends
}

TEST_CASE("a server that never reads: the write times out, and nothing got through") {
  ScriptedServerOptions options;
  options.stall_after_handshake = true;
  Setup s(ok_reply, options, [](TransportOptions& o) { o.write_timeout = 300ms; });
  HttpRequest big{"POST", "/big", {{"host", "h"}}, std::string(64u << 20, 'x')};  // beyond any socket buffer
  const auto e = error_of(s.send(big));
  CHECK(e.stage == TransportStage::kWrite);
  CHECK_FALSE(e.request_may_have_arrived);
  CHECK(contains(e.reason, "write: timed out"));
  CHECK(s.client->stats().requests_sent == 0);
}

TEST_CASE("a server that reads the request and never answers: ambiguous read timeout") {
  Setup s([](const TestRequest&, int) { return TestReply::silence(); }, {},
          [](TransportOptions& o) { o.read_timeout = 300ms; });
  const auto e = error_of(s.send());
  CHECK(e.stage == TransportStage::kRead);
  CHECK(e.request_may_have_arrived);
  CHECK_FALSE(e.response_unusable);
  CHECK(contains(e.reason, "no complete response within 300 ms"));
  CHECK(s.client->stats().requests_sent == 1);
}

TEST_CASE("the call deadline bounds a step whose own timeout is long") {
  Setup s([](const TestRequest&, int) { return TestReply::silence(); }, {},
          [](TransportOptions& o) { o.read_timeout = 600'000ms; });
  auto start = Steady::now();
  const auto e = error_of(s.send(get(), 400ms));
  CHECK(e.stage == TransportStage::kRead);
  CHECK(Steady::now() - start < 15s);
  // The message names the limit that applied: the deadline, not the 600 s read timeout.
  CHECK(contains(e.reason, "within the call deadline ("));
  CHECK(e.hint.kind == provision::HintKind::kRequestTimeout);
  CHECK_FALSE(contains(e.reason, "600000 ms"));
}

TEST_CASE("a truncated response is reported as a broken connection, not as data") {
  Setup s([](const TestRequest&, int) {
    return TestReply::raw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"requestId\":", true);
  });
  const auto e = error_of(s.send());
  CHECK(e.stage == TransportStage::kRead);
  CHECK(e.request_may_have_arrived);
  CHECK_FALSE(e.response_unusable);
  CHECK(contains(e.reason, "closed before the response was complete"));
}

TEST_CASE("an oversized response body is refused at the cap") {
  Setup s([](const TestRequest&, int) { return TestReply::huge_body(64u << 20); }, {},
          [](TransportOptions& o) { o.max_body_bytes = 1u << 20; });
  const auto e = error_of(s.send());
  CHECK(e.stage == TransportStage::kRead);
  CHECK(e.response_unusable);
  CHECK(contains(e.reason, "exceeds the limit of 1048576 bytes"));
}

TEST_CASE("endless headers are refused at the header cap") {
  Setup s([](const TestRequest&, int) { return TestReply::endless_headers(); }, {},
          [](TransportOptions& o) { o.max_header_bytes = 16u << 10; });
  const auto e = error_of(s.send());
  CHECK(e.response_unusable);
  CHECK(contains(e.reason, "header exceeds the limit of 16384 bytes"));
}

TEST_CASE("a malformed response is unusable") {
  Setup s([](const TestRequest&, int) { return TestReply::raw("SPDY/9 200 OK\r\n\r\n", true); });
  const auto e = error_of(s.send());
  CHECK(e.response_unusable);
  CHECK(contains(e.reason, "malformed HTTP response"));
}

TEST_CASE("keep-alive: one handshake for many sequential calls") {
  Setup s(ok_reply);
  for (int i = 0; i < 10; ++i) CHECK(response_of(s.send()).status == 200);
  CHECK(s.client->stats().tls_handshakes == 1);
  CHECK(s.client->stats().requests_sent == 10);
  CHECK(s.client->stats().connections_reused == 9);
  CHECK(s.server.handshakes() == 1);
  CHECK(s.server.connections() == 1);
}

TEST_CASE("Connection: close is honoured, the next call opens a new connection") {
  Setup s([](const TestRequest&, int) {
    return TestReply::raw("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}", true);
  });
  CHECK(response_of(s.send()).body == "{}");
  CHECK(response_of(s.send()).body == "{}");
  CHECK(s.client->stats().tls_handshakes == 2);
  CHECK(s.client->stats().connections_reused == 0);
}

TEST_CASE("a pooled connection the server dropped is detected and replaced") {
  Setup s([](const TestRequest&, int) {
    return TestReply::raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", true);  // closes silently
  });
  CHECK(response_of(s.send()).status == 200);
  for (int i = 0; i < 500 && s.server.open_connections() > 0; ++i) std::this_thread::sleep_for(10ms);
  REQUIRE(s.server.open_connections() == 0);  // the server has closed its end
  CHECK(response_of(s.send()).status == 200);
  CHECK(s.server.requests() == 2);
  CHECK(s.client->stats().tls_handshakes == 2);
}

TEST_CASE("many calls in flight share a bounded number of connections") {
  Setup s(ok_reply, {}, [](TransportOptions& o) { o.max_connections_per_host = 3; });
  std::vector<int> statuses;
  auto many = [&]() -> net::awaitable<int> {
    auto executor = co_await net::this_coro::executor;
    std::vector<std::shared_ptr<TransportResult>> results;
    int done = 0;
    for (int i = 0; i < 12; ++i) {
      auto slot = std::make_shared<TransportResult>();
      results.push_back(slot);
      net::co_spawn(executor,
                    s.client->send(Endpoint{"127.0.0.1", s.server.port()}, get(), Steady::now() + 20s),
                    [slot, &done](const std::exception_ptr&, TransportResult r) {
                      *slot = std::move(r);
                      ++done;
                    });
    }
    net::steady_timer timer(executor);
    while (done < 12) {
      timer.expires_after(5ms);
      co_await timer.async_wait(net::use_awaitable);
    }
    for (auto& r : results) statuses.push_back(response_of(*r).status);
    co_return done;
  };
  CHECK(run_coroutine(s.io, many()) == 12);
  CHECK(statuses == std::vector<int>(12, 200));
  CHECK(s.server.requests() == 12);
  CHECK(s.server.connections() <= 3);
  CHECK(s.client->stats().connections_opened <= 3);
}

TEST_CASE("a caller waiting for a connection slot gives up at its deadline") {
  Setup s([](const TestRequest&, int) { return TestReply::silence(); }, {},
          [](TransportOptions& o) {
            o.max_connections_per_host = 1;
            o.read_timeout = 1500ms;
          });
  auto both = [&]() -> net::awaitable<int> {
    auto executor = co_await net::this_coro::executor;
    auto first = std::make_shared<std::optional<TransportResult>>();
    net::co_spawn(executor,
                  s.client->send(Endpoint{"127.0.0.1", s.server.port()}, get(), Steady::now() + 20s),
                  [first](const std::exception_ptr&, TransportResult r) { *first = std::move(r); });
    Endpoint to("127.0.0.1", s.server.port());
    TransportResult second = co_await s.client->send(to, get(), Steady::now() + 300ms);
    CHECK(error_of(second).stage == TransportStage::kQueue);
    CHECK_FALSE(first->has_value());  // the first call still holds the only connection
    net::steady_timer timer(executor);
    while (!first->has_value()) {
      timer.expires_after(5ms);
      co_await timer.async_wait(net::use_awaitable);
    }
    CHECK(error_of(**first).stage == TransportStage::kRead);
    co_return 0;
  };
  run_coroutine(s.io, both());
  CHECK(s.server.requests() == 1);
}

TEST_CASE("sleep_for and shutdown complete") {
  Setup s(ok_reply);
  CHECK(response_of(s.send()).status == 200);
  auto work = [&]() -> net::awaitable<int> {
    co_await s.client->sleep_for(5ms);
    co_await s.client->shutdown();
    co_return 1;
  };
  CHECK(run_coroutine(s.io, work()) == 1);
  CHECK(response_of(s.send()).status == 200);  // the pool was emptied: a fresh connection
  CHECK(s.client->stats().tls_handshakes == 2);
}
