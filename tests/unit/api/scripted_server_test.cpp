// The shared scripted test server itself (tests/support/scripted_server.hpp), in plain
// HTTP, driven by the product's metadata-service client: it records what it received and
// stops by itself when its lifetime runs out, even on a connection it holds silent.
#include "support/scripted_server.hpp"

#include <doctest/doctest.h>

#include <chrono>

#include "api/imds_request.hpp"
#include "core/error.hpp"

using namespace std::chrono_literals;

TEST_CASE("the scripted server records a plain request and cuts a silent connection when its lifetime ends") {
  provision::test::ScriptedServer server(
      [](const provision::test::TestRequest&, int) { return provision::test::TestReply::silence(); },
      {.tls = false, .lifetime = 2000ms});
  const auto start = std::chrono::steady_clock::now();
  // The client would wait 20 s for an answer; the server's lifetime ends the wait first.
  CHECK_THROWS_WITH_AS(provision::api::imds_request({"127.0.0.1", server.port(), 20'000ms}, "GET", "/life"),
                       doctest::Contains("closed without a response"), provision::Error);
  CHECK(std::chrono::steady_clock::now() - start < 15s);
  REQUIRE(server.requests() == 1);
  const auto request = server.received()[0];
  CHECK(request.method == "GET");
  CHECK(request.target == "/life");
  CHECK(request.head.starts_with("GET /life HTTP/1.1\r\n"));
  CHECK(request.sni.empty());
  CHECK(server.handshakes() == 0);  // plain TCP: no TLS
}
