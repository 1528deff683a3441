// The one Beast translation unit: connections (TLS with verified chain and host name, or
// plain HTTP), per-step timeouts under a call deadline, size caps, and a keep-alive pool per
// host. Error texts are in transport_errors.cpp.
#include "api/https_client.hpp"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <deque>
#include <filesystem>
#include <map>
#include <tuple>
#include <vector>

#include "api/transport_errors.hpp"
#include "core/error.hpp"

namespace provision::api {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using boost::system::error_code;

namespace {

constexpr auto use_ec = net::as_tuple(net::use_awaitable);
constexpr std::chrono::milliseconds kShutdownTimeout{1000};

using Stream = ssl::stream<beast::tcp_stream>;

struct Connection {
  Connection(net::io_context& io, ssl::context& ctx, bool use_tls) : stream(io, ctx), tls(use_tls) {}
  Stream stream;  // without TLS only its TCP layer (next_layer) carries the bytes
  bool tls;
  beast::flat_buffer buffer;
  SteadyClock::time_point idle_since{};
};

using ConnectionPtr = std::unique_ptr<Connection>;

struct HostPool {
  std::vector<ConnectionPtr> idle;
  std::size_t busy = 0;  // connections checked out by calls in flight
  std::deque<std::shared_ptr<net::steady_timer>> waiters;
};

// A pooled connection is reusable only if the peer has not closed it or sent anything.
bool looks_alive(Connection& c) {
  auto& socket = beast::get_lowest_layer(c.stream).socket();
  if (!socket.is_open() || c.buffer.size() > 0) return false;
  char byte = 0;
  ssize_t n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

// TLS close_notify with a short bound; truncation or EOF from the peer is the usual, benign end.
net::awaitable<void> close_gracefully(ConnectionPtr c) {
  if (c->tls) {
    beast::get_lowest_layer(c->stream).expires_after(kShutdownTimeout);
    auto [ec] = co_await c->stream.async_shutdown(use_ec);
    (void)ec;  // stream_truncated, eof or timeout: nothing more to do either way
  }
  error_code ignored;
  beast::get_lowest_layer(c->stream).socket().close(ignored);
}

}  // namespace

std::string Endpoint::authority() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return port == (tls ? 443 : 80) ? h : h + ":" + std::to_string(port);
}

struct detail::HttpsClientState {
  HttpsClientState(net::io_context& io_context, TransportOptions o) : io(io_context), options(std::move(o)) {}

  net::io_context& io;
  TransportOptions options;
  ssl::context ctx{ssl::context::tls_client};
  std::map<std::string, HostPool> pools;
  TransportStats stats;

  // Returns a connection slot to the pool (and the connection itself when reusable).
  // Runs from a destructor, so it must not throw; out of memory just drops the connection.
  void release(HostPool& pool, ConnectionPtr conn) noexcept {
    --pool.busy;
    try {
      if (conn) {
        conn->idle_since = SteadyClock::now();
        pool.idle.push_back(std::move(conn));
      }
      if (!pool.waiters.empty()) {
        std::shared_ptr<net::steady_timer> next = std::move(pool.waiters.front());
        pool.waiters.pop_front();
        next->cancel();
      }
    } catch (...) {
    }
  }
};

namespace {

using ImplPtr = std::shared_ptr<detail::HttpsClientState>;

bool pool_full(const detail::HttpsClientState& impl, const HostPool& pool) {
  return pool.idle.empty() && pool.busy >= std::max<std::size_t>(impl.options.max_connections_per_host, 1);
}

// Waits for a free connection slot; nullopt on success, an error at the deadline.
net::awaitable<std::optional<TransportError>> acquire_slot(ImplPtr impl, HostPool& pool,
                                                           SteadyClock::time_point deadline) {
  while (pool_full(*impl, pool)) {
    auto timer = std::make_shared<net::steady_timer>(impl->io, deadline);
    pool.waiters.push_back(timer);
    auto [ec] = co_await timer->async_wait(use_ec);
    if (!ec) {  // the deadline passed before a slot freed up
      std::erase(pool.waiters, timer);
      // A wake-up may have raced with this expiry: hand it on so no free slot goes unused.
      if (!pool_full(*impl, pool) && !pool.waiters.empty()) {
        pool.waiters.front()->cancel();
        pool.waiters.pop_front();
      }
      co_return transport_failure(TransportStage::kQueue, "no free connection before the call deadline",
                                  beast::error::timeout);
    }
  }
  ++pool.busy;
  co_return std::nullopt;
}

// Takes a live idle connection, dropping dead or stale ones.
ConnectionPtr take_idle(detail::HttpsClientState& impl, HostPool& pool) {
  while (!pool.idle.empty()) {
    ConnectionPtr c = std::move(pool.idle.back());
    pool.idle.pop_back();
    if (SteadyClock::now() - c->idle_since <= impl.options.idle_timeout && looks_alive(*c)) return c;
  }
  return nullptr;
}

net::awaitable<std::optional<TransportError>> open_connection(ImplPtr impl, Connection& conn, Endpoint to,
                                                              SteadyClock::time_point deadline) {
  const TransportOptions& o = impl->options;
  auto& lowest = beast::get_lowest_layer(conn.stream);
  std::vector<tcp::endpoint> targets;
  error_code ec;
  net::ip::address address = net::ip::make_address(to.host, ec);
  const bool ip_literal = !ec;
  if (ip_literal) {
    targets.emplace_back(address, to.port);
  } else {
    // async_resolve has no timeout of its own: a timer cancels it.
    auto resolver = std::make_shared<tcp::resolver>(impl->io);
    const StepLimit resolve_limit = step_limit(o.resolve_timeout, deadline);
    net::steady_timer timer(impl->io, resolve_limit.expiry);
    timer.async_wait([resolver](error_code timer_ec) {
      if (!timer_ec) resolver->cancel();
    });
    auto [rec, results] = co_await resolver->async_resolve(to.host, std::to_string(to.port), use_ec);
    timer.cancel();
    if (rec)
      co_return transport_failure(TransportStage::kResolve,
                                  "resolve '" + to.host + "': " + describe(rec, resolve_limit), rec,
                                  resolve_limit);
    for (const auto& entry : results) targets.push_back(entry.endpoint());
  }

  const StepLimit connect_limit = step_limit(o.connect_timeout, deadline);
  lowest.expires_at(connect_limit.expiry);
  auto [cec, connected] = co_await lowest.async_connect(targets, use_ec);
  (void)connected;
  if (cec)
    co_return transport_failure(TransportStage::kConnect, "connect: " + describe(cec, connect_limit), cec,
                                connect_limit);
  ++impl->stats.connections_opened;
  if (!conn.tls) co_return std::nullopt;

  // SNI only for DNS names (RFC 6066); identity checked against the name or the IP SAN.
  if (!ip_literal) {
    SSL_set_tlsext_host_name(conn.stream.native_handle(), to.host.c_str());
  }
  auto verify = std::make_shared<VerifyOutcome>();
  conn.stream.set_verify_mode(ssl::verify_peer);
  conn.stream.set_verify_callback([verify, check = ssl::host_name_verification(to.host)](
                                      bool preverified, ssl::verify_context& vctx) mutable {
    if (!preverified) {
      verify->chain_error = X509_STORE_CTX_get_error(vctx.native_handle());
      return false;
    }
    bool ok = check(preverified, vctx);
    if (!ok) verify->host_mismatch = true;
    return ok;
  });
  const StepLimit handshake_limit = step_limit(o.handshake_timeout, deadline);
  lowest.expires_at(handshake_limit.expiry);
  auto [hec] = co_await conn.stream.async_handshake(ssl::stream_base::client, use_ec);
  if (hec) {
    const long verify_result = SSL_get_verify_result(conn.stream.native_handle());
    TransportError e =
        transport_failure(TransportStage::kHandshake,
                          handshake_reason(hec, *verify, verify_result, to.host, handshake_limit), hec);
    e.tls_refused = verify->host_mismatch || verify->chain_error != X509_V_OK || verify_result != X509_V_OK ||
                    not_tls(hec);
    e.hint = handshake_hint(hec, *verify, verify_result, handshake_limit);
    co_return e;
  }
  ++impl->stats.tls_handshakes;
  co_return std::nullopt;
}

http::request<http::string_body> to_beast(const HttpRequest& r, const Endpoint& to) {
  http::request<http::string_body> req;
  req.method_string(r.method);
  req.target(r.target);
  req.version(11);
  bool has_host = false;
  for (const auto& [name, value] : r.headers) {
    if (beast::iequals(name, "host")) has_host = true;
    req.insert(name, value);
  }
  if (!has_host) req.set(http::field::host, to.authority());
  req.body() = r.body;
  req.prepare_payload();
  return req;
}

// Writes the request on a pooled connection, or a new one. A pooled connection that the
// server closed meanwhile fails the write before the request got through: one fresh try.
net::awaitable<std::optional<TransportError>> write_request(ImplPtr impl, HostPool& pool, ConnectionPtr& conn,
                                                            const http::request<http::string_body>& req,
                                                            const Endpoint& to,
                                                            SteadyClock::time_point deadline) {
  const TransportOptions& o = impl->options;
  for (int round = 0;; ++round) {
    conn = take_idle(*impl, pool);
    const bool reused = conn != nullptr;
    if (reused) {
      ++impl->stats.connections_reused;
    } else {
      conn = std::make_unique<Connection>(impl->io, impl->ctx, to.tls);
      std::optional<TransportError> failed = co_await open_connection(impl, *conn, to, deadline);
      if (failed) co_return failed;
    }
    const StepLimit write_limit = step_limit(o.write_timeout, deadline);
    beast::get_lowest_layer(conn->stream).expires_at(write_limit.expiry);
    error_code ec;
    if (conn->tls) {
      std::tie(ec, std::ignore) = co_await http::async_write(conn->stream, req, use_ec);
    } else {
      std::tie(ec, std::ignore) = co_await http::async_write(conn->stream.next_layer(), req, use_ec);
    }
    if (!ec) {
      ++impl->stats.requests_sent;
      co_return std::nullopt;
    }
    if (!reused || round > 0)
      co_return transport_failure(TransportStage::kWrite, "write: " + describe(ec, write_limit), ec,
                                  write_limit);
  }
}

// Reads one response within the caps; `keep_alive` says whether the connection may be reused.
net::awaitable<TransportResult> read_response(ImplPtr impl, Connection& conn,
                                              SteadyClock::time_point deadline, bool& keep_alive) {
  const TransportOptions& o = impl->options;
  http::response_parser<http::string_body> parser;
  parser.body_limit(static_cast<std::uint64_t>(o.max_body_bytes));
  parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(o.max_header_bytes, UINT32_MAX)));
  auto& lowest = beast::get_lowest_layer(conn.stream);
  const StepLimit read_limit = step_limit(o.read_timeout, deadline);
  lowest.expires_at(read_limit.expiry);
  error_code ec;
  if (conn.tls) {
    std::tie(ec, std::ignore) = co_await http::async_read(conn.stream, conn.buffer, parser, use_ec);
  } else {
    std::tie(ec, std::ignore) =
        co_await http::async_read(conn.stream.next_layer(), conn.buffer, parser, use_ec);
  }
  if (ec) {
    bool unusable = false;
    std::string reason = read_reason(ec, o, read_limit, unusable);
    co_return transport_failure(TransportStage::kRead, std::move(reason), ec, read_limit, true, unusable);
  }
  lowest.expires_never();
  auto& res = parser.get();
  HttpResponse out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& field : res)
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  out.body = std::move(res.body());
  keep_alive = res.keep_alive();
  co_return out;
}

net::awaitable<TransportResult> exchange(ImplPtr impl, Endpoint to, HttpRequest request,
                                         SteadyClock::time_point deadline) {
  if (SteadyClock::now() >= deadline)
    co_return transport_failure(TransportStage::kQueue, "the call deadline passed before sending",
                                beast::error::timeout);
  HostPool& pool = impl->pools[(to.tls ? "https://" : "http://") + to.authority()];
  // (No co_await inside an if-condition: GCC 12 mis-destroys such frames.)
  std::optional<TransportError> queued = co_await acquire_slot(impl, pool, deadline);
  if (queued) co_return std::move(*queued);

  // Every exit below hands the slot back, with the connection only when it is reusable.
  ConnectionPtr conn;
  struct SlotGuard {
    detail::HttpsClientState& impl;
    HostPool& pool;
    ConnectionPtr& conn;
    bool keep = false;
    ~SlotGuard() { impl.release(pool, keep ? std::move(conn) : nullptr); }
  } guard{*impl, pool, conn};

  const http::request<http::string_body> req = to_beast(request, to);
  std::optional<TransportError> unsent = co_await write_request(impl, pool, conn, req, to, deadline);
  if (unsent) co_return std::move(*unsent);
  bool keep_alive = false;
  TransportResult result = co_await read_response(impl, *conn, deadline, keep_alive);
  if (keep_alive) {
    guard.keep = true;
  } else if (std::holds_alternative<HttpResponse>(result)) {
    net::co_spawn(impl->io, close_gracefully(std::move(conn)), net::detached);
  }
  co_return result;
}

}  // namespace

HttpsClient::HttpsClient(net::io_context& io, TransportOptions options)
    : impl_(std::make_shared<detail::HttpsClientState>(io, std::move(options))) {
  auto& ctx = impl_->ctx;
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
  ctx.set_verify_mode(ssl::verify_peer);
  error_code ec;
  ctx.set_default_verify_paths(ec);  // a missing system store is not fatal when --ca-file is given
  const std::string& ca = impl_->options.ca_file;
  if (!ca.empty()) {
    std::error_code fec;
    if (!std::filesystem::is_regular_file(ca, fec)) {
      throw Error(ErrorKind::kUsage, ca + ": no such file", hint_of(HintKind::kCaFile));
    }
    ctx.load_verify_file(ca, ec);
    if (ec) {
      throw Error(ErrorKind::kUsage, ca + ": not a readable PEM CA certificate (" + ec.message() + ")",
                  hint_of(HintKind::kCaFile));
    }
  }
}

HttpsClient::~HttpsClient() = default;

net::awaitable<TransportResult> HttpsClient::send(Endpoint to, HttpRequest request,
                                                  SteadyClock::time_point deadline) {
  return exchange(impl_, std::move(to), std::move(request), deadline);
}

net::awaitable<void> HttpsClient::sleep_for(std::chrono::milliseconds delay) {
  net::steady_timer timer(impl_->io, delay);
  auto [ec] = co_await timer.async_wait(use_ec);
  (void)ec;
}

TransportStats HttpsClient::stats() const { return impl_->stats; }

net::awaitable<void> HttpsClient::shutdown() {
  ImplPtr impl = impl_;
  std::vector<ConnectionPtr> idle;
  for (auto& [key, pool] : impl->pools) {
    for (auto& c : pool.idle) idle.push_back(std::move(c));
    pool.idle.clear();
  }
  for (auto& c : idle) co_await close_gracefully(std::move(c));
}

}  // namespace provision::api
