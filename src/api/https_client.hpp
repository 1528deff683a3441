// The HTTP transport: one request in, one response (or a classified transport error)
// out, over pooled keep-alive connections on one io_context; TLS unless an endpoint asks
// for plain HTTP (the instance metadata service). Plain structs only; all Asio/Beast
// stream code lives in https_client.cpp.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>

#include "api/retry_policy.hpp"
#include "core/hint.hpp"

namespace boost::asio {
class io_context;
}

namespace provision::api {

namespace detail {
struct HttpsClientState;  // defined in https_client.cpp
}

// Where to connect: a DNS name or an IP literal (IPv6 without brackets), and a port.
// Not an aggregate on purpose: GCC 12 mis-copies aggregate temporaries inside co_await.
struct Endpoint {
  Endpoint() = default;
  Endpoint(std::string h, std::uint16_t p = 443) : host(std::move(h)), port(p) {}

  std::string host;
  std::uint16_t port = 443;
  bool tls = true;  // false: plain HTTP, no certificate checks (link-local services only)

  // "host" for the scheme's default port (443, or 80 without TLS), "host:port" otherwise
  // ("[v6]:port" for IPv6): the Host header.
  std::string authority() const;
};

struct TransportOptions {
  std::string ca_file;  // extra PEM CA bundle; the system store is always trusted too
  std::chrono::milliseconds resolve_timeout{10'000};
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds handshake_timeout{10'000};
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds read_timeout{60'000};  // whole response, first byte to last
  std::chrono::milliseconds idle_timeout{20'000};  // pooled connections older than this are dropped
  std::size_t max_body_bytes = 8u << 20;           // larger responses are refused
  std::size_t max_header_bytes = 64u << 10;
  std::size_t max_connections_per_host = 8;  // calls beyond this wait for a free connection
};

struct HttpRequest {
  std::string method;  // "GET"
  std::string target;  // wire path plus "?query" if any
  HeaderList headers;  // sent as given (the signed set); Content-Length is added
  std::string body;
};

struct HttpResponse {
  int status = 0;
  HeaderList headers;  // names as received
  std::string body;
};

// Which step failed; everything from kRead on may have reached the server.
enum class TransportStage { kQueue, kResolve, kConnect, kHandshake, kWrite, kRead };

struct TransportError {
  TransportStage stage = TransportStage::kConnect;
  bool request_may_have_arrived = false;  // true once the whole request was written
  bool response_unusable = false;         // the server answered, but too large or malformed
  bool tls_refused = false;  // certificate not accepted, or the peer does not speak TLS: retrying cannot help
  bool timed_out = false;    // a step limit or the call deadline ended the step
  std::string reason;        // "TLS handshake: certificate not trusted (...)"
  Hint hint = {};            // what the user can do, rendered by the CLI
};

using TransportResult = std::variant<HttpResponse, TransportError>;

// Counters for tests and the benchmark (keep-alive reuse shows as handshakes << requests).
struct TransportStats {
  std::uint64_t connections_opened = 0;
  std::uint64_t tls_handshakes = 0;  // completed handshakes
  std::uint64_t requests_sent = 0;   // requests fully written
  std::uint64_t connections_reused = 0;
};

// Not thread-safe: use it from the one thread running its io_context. Many
// send() coroutines may be in flight at once.
class HttpsClient {
 public:
  // Throws Error(kUsage) when options.ca_file cannot be loaded.
  HttpsClient(boost::asio::io_context& io, TransportOptions options);
  ~HttpsClient();
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  // One exchange, bounded by the per-step timeouts and by `deadline`. Reuses an idle
  // connection to `to` when one is alive; never retries by itself.
  [[nodiscard]] boost::asio::awaitable<TransportResult> send(Endpoint to, HttpRequest request,
                                                             std::chrono::steady_clock::time_point deadline);

  // Waits (for backoff) without blocking other coroutines.
  [[nodiscard]] boost::asio::awaitable<void> sleep_for(std::chrono::milliseconds delay);

  TransportStats stats() const;

  // Closes pooled idle connections (politely, with TLS close_notify).
  [[nodiscard]] boost::asio::awaitable<void> shutdown();

 private:
  std::shared_ptr<detail::HttpsClientState> impl_;
};

}  // namespace provision::api
