// Network hostility through the real CLI: `provision plan` against servers that never
// answer (before or after TLS, and the real emulator holding every answer back),
// trickle one byte at a time, or send endless headers or an endless body. Each run must
// end within 3x the --request-timeout (the per-call deadline bounds retries and slow
// peers alike), exit 7 with a message that says what happened, and stay small in memory
// (peak RSS measured with wait4; the caps on headers and body say why).
#include <doctest/doctest.h>

#include "integration/provision_fixture.hpp"
#include "reliability_support.hpp"
#include "support/scripted_server.hpp"

using provision::test::EmulatedCloud;
using provision::test::RunResult;
using provision::test::TempDir;

namespace {

constexpr int kTimeoutSeconds = 4;
// Peak RSS allowed for the client; without the 8 MiB body cap an endless body at
// loopback speed would pass this within a second. ASan's shadow memory is included.
constexpr long kMaxRssKb = 320 * 1024;

struct Outcome {
  RunResult result;
  std::chrono::steady_clock::duration wall;
};

// `provision plan` on one new spec, timed: it must list the workspace, so it calls the server.
Outcome plan_against(const TempDir& dir, const std::string& endpoint, const std::string& ca) {
  const auto start = std::chrono::steady_clock::now();
  // A hang is killed at 10x the call limit, and then fails below.
  auto r = provision::test::plan_one_spec(dir, endpoint, ca, kTimeoutSeconds,
                                          std::chrono::seconds(10 * kTimeoutSeconds));
  return {r, std::chrono::steady_clock::now() - start};
}

void expect_bounded_failure(const std::string& scenario, const Outcome& o, const std::string& reason,
                            const std::vector<std::pair<std::string, std::string>>& extra = {}) {
  const auto& r = o.result;
  INFO(scenario, ": exit ", r.exit_code, " signal ", r.signal, "\n", r.err);
  CHECK(r.signal == 0);
  CHECK(r.exit_code == 7);
  CHECK(r.err.find("ListRayCluster failed on host 127.0.0.1:") != std::string::npos);
  CHECK(r.err.find(reason) != std::string::npos);
  CHECK(o.wall < std::chrono::seconds(3 * kTimeoutSeconds));
  CHECK(r.max_rss_kb < kMaxRssKb);
  std::vector<std::pair<std::string, std::string>> figures{
      {"case", scenario},
      {"timeout_s", provision::test::figure(kTimeoutSeconds)},
      {"wall_ms", provision::test::figure_ms(o.wall)},
      {"exit", provision::test::figure(r.exit_code)},
      {"max_rss_kb", provision::test::figure(r.max_rss_kb)}};
  figures.insert(figures.end(), extra.begin(), extra.end());
  provision::test::report("network-hostility", figures);
}

// A TLS server on 127.0.0.1 giving every request `reply`, and its CA as a file. It gives
// up on every connection after 100 s whatever the client does.
struct Tls {
  explicit Tls(const provision::test::TestReply& reply, provision::test::ScriptedServerOptions options = {})
      : server([reply](const provision::test::TestRequest&, int) { return reply; }, with_lifetime(options)),
        ca(dir.write("ca.pem", server.ca_pem()).string()) {}
  static provision::test::ScriptedServerOptions with_lifetime(
      provision::test::ScriptedServerOptions options) {
    options.lifetime = std::chrono::seconds(100);
    return options;
  }
  TempDir dir;
  provision::test::ScriptedServer server;
  std::string ca;
};

}  // namespace

TEST_CASE("a server that accepts and never speaks TLS: the handshake is cut at the deadline") {
  Tls tls(provision::test::TestReply::silence(), {.stall_before_handshake = true});
  auto o = plan_against(tls.dir, tls.server.endpoint(), tls.ca);
  expect_bounded_failure("silent-before-tls", o, "TLS handshake: timed out",
                         {{"connections", provision::test::figure(tls.server.connections())}});
}

TEST_CASE("a TLS server that reads the request and never answers: the read is cut at the deadline") {
  Tls tls(provision::test::TestReply::silence());
  auto o = plan_against(tls.dir, tls.server.endpoint(), tls.ca);
  expect_bounded_failure("silent-after-tls", o, "no complete response",
                         {{"connections", provision::test::figure(tls.server.connections())}});
}

TEST_CASE("the real emulator holding every answer back (slow fault): bounded by the call deadline") {
  EmulatedCloud cloud({"--fault-rate", "1", "--faults", "slow", "--slow-delay", "600"});
  const auto ca = cloud.endpoint_args()[3];
  auto o = plan_against(cloud.dir(), cloud.endpoint_args()[1], ca);
  expect_bounded_failure("emulator-slow", o, "no complete response");
}

TEST_CASE("a server trickling one byte at a time: the call deadline bounds the whole response") {
  // The full answer would take 13 to 65 s; it is valid, so only the deadline stops it.
  std::vector<int> intervals{200};
  if (provision::test::long_variant()) intervals = {100, 200, 500};
  const std::string body = "{\"requestId\":\"TRICKLE\",\"rayClusters\":[]}";
  const std::string response =
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\n\r\n" + body;
  for (const int interval : intervals) {
    Tls tls(provision::test::TestReply::trickle(response, std::chrono::milliseconds(interval)));
    auto o = plan_against(tls.dir, tls.server.endpoint(), tls.ca);
    expect_bounded_failure("trickle", o, "no complete response",
                           {{"interval_ms", provision::test::figure(interval)},
                            {"bytes_sent", provision::test::figure(tls.server.bytes_sent())}});
  }
}

TEST_CASE("endless headers are refused at the 64 KiB header cap") {
  Tls tls(provision::test::TestReply::endless_headers());
  auto o = plan_against(tls.dir, tls.server.endpoint(), tls.ca);
  expect_bounded_failure("endless-headers", o, "the response header exceeds the limit of 65536 bytes",
                         {{"bytes_sent", provision::test::figure(tls.server.bytes_sent())}});
}

TEST_CASE("an endless chunked body is refused at the 8 MiB body cap") {
  Tls tls(provision::test::TestReply::endless_chunked_body());
  auto o = plan_against(tls.dir, tls.server.endpoint(), tls.ca);
  expect_bounded_failure("endless-body", o, "the response body exceeds the limit of 8388608 bytes",
                         {{"bytes_sent", provision::test::figure(tls.server.bytes_sent())}});
}
