// The one translation unit with Boost.Beast/Asio: C++20 coroutines on one io_context, one
// coroutine per connection. Request handling itself is RequestHandler's (pure) business.
#include "emulator/https_server.hpp"

#include <openssl/ssl.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <csignal>
#include <iostream>
#include <set>

#include "core/error.hpp"
#include "emulator/request_target.hpp"

namespace provision::emulator {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Stream = ssl::stream<beast::tcp_stream>;
using Parser = http::request_parser<http::string_body>;

constexpr auto kNoThrow = net::as_tuple(net::use_awaitable);

// What shutdown needs to know about a live connection.
struct Connection {
  Stream* stream = nullptr;
  Parser* parser = nullptr;           // set while waiting for or reading a request
  net::steady_timer* late = nullptr;  // set while holding back a "slow" answer
  bool busy = false;                  // a request was read and is being answered
};

api::HttpRequestParts to_parts(const http::request<http::string_body>& req) {
  api::HttpRequestParts parts;
  parts.method = std::string(req.method_string());
  split_target(req.target(), parts.path, parts.query);
  parts.host = std::string(req[http::field::host]);
  for (const auto& field : req)
    parts.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  parts.body = req.body();
  return parts;
}

std::int64_t elapsed_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since)
      .count();
}

}  // namespace

struct HttpsServer::Impl {
  Impl(ServerSettings s, RequestHandler& h, AccessLog* l) : settings(std::move(s)), handler(h), log(l) {}

  ServerSettings settings;
  RequestHandler& handler;
  AccessLog* log;
  net::io_context ioc{1};
  ssl::context tls{ssl::context::tls_server};
  tcp::acceptor acceptor{ioc};
  net::signal_set signals{ioc, SIGTERM, SIGINT};
  net::steady_timer grace{ioc};
  std::set<Connection*> connections;
  int active = 0;  // accepted and not yet finished (counted before the coroutine starts)
  bool stopping = false;

  void load_certificate();
  net::awaitable<void> accept_loop();
  net::awaitable<void> serve(tcp::socket socket);
  net::awaitable<bool> answer(Stream& stream, Connection& self, const http::request<http::string_body>& req);
  net::awaitable<void> reject(Stream& stream, unsigned status, const std::string& code,
                              const std::string& message);
  void begin_shutdown();
  void cut_off(Connection& c) { beast::get_lowest_layer(*c.stream).cancel(); }
  void finished(Connection& c);
};

void HttpsServer::Impl::load_certificate() {
  boost::system::error_code ec;
  tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                  ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  tls.use_certificate_chain_file(settings.certificate.string(), ec);
  if (ec)
    throw Error(ErrorKind::kState, "cannot load " + settings.certificate.string() + ": " + ec.message());
  tls.use_private_key_file(settings.private_key.string(), ssl::context::pem, ec);
  if (ec)
    throw Error(ErrorKind::kState, "cannot load " + settings.private_key.string() + ": " + ec.message());
}

net::awaitable<void> HttpsServer::Impl::accept_loop() {
  while (!stopping) {
    auto [ec, socket] = co_await acceptor.async_accept(kNoThrow);
    if (stopping) co_return;
    if (ec) {
      // Out of descriptors or similar: wait a little instead of spinning.
      net::steady_timer pause(ioc, std::chrono::milliseconds(50));
      co_await pause.async_wait(kNoThrow);
      continue;
    }
    if (active >= settings.max_connections) {
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    ++active;
    net::co_spawn(ioc, serve(std::move(socket)), [](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        std::cerr << "provision-emulator: error: connection: " << x.what() << std::endl;
      }
    });
  }
}

net::awaitable<void> HttpsServer::Impl::reject(Stream& stream, unsigned status, const std::string& code,
                                               const std::string& message) {
  http::response<http::string_body> res{static_cast<http::status>(status), 11};
  res.set(http::field::server, "provision-emulator");
  res.set(http::field::content_type, "application/json;charset=utf-8");
  res.keep_alive(false);
  res.body() = R"({"Code":")" + code + R"(","Message":")" + message + R"("})";
  res.prepare_payload();
  beast::get_lowest_layer(stream).expires_after(settings.write_timeout);
  co_await http::async_write(stream, res, kNoThrow);
}

// Handles one request; returns whether the connection may carry another.
net::awaitable<bool> HttpsServer::Impl::answer(Stream& stream, Connection& self,
                                               const http::request<http::string_body>& req) {
  const auto wall_start = std::chrono::system_clock::now();
  const auto start = std::chrono::steady_clock::now();
  const api::HttpRequestParts parts = to_parts(req);
  HandlerResponse r = handler.handle(parts);
  AccessLogEntry entry{wall_start, r.request_id, r.action, parts.method, parts.path,
                       r.status,   r.code,       0,        r.fault};
  auto& socket = beast::get_lowest_layer(stream).socket();
  boost::system::error_code ignored;

  if (r.disposition == Disposition::kReset || r.disposition == Disposition::kDropAfterCommit) {
    if (r.disposition == Disposition::kReset)
      socket.set_option(tcp::socket::linger(true, 0), ignored);  // RST
    socket.close(ignored);
    entry.status = 0;
    entry.latency_ms = elapsed_ms(start);
    if (log) log->write(entry);
    co_return false;
  }
  if (r.disposition == Disposition::kRespondLate && !stopping) {
    net::steady_timer late(ioc, r.delay);
    self.late = &late;
    co_await late.async_wait(kNoThrow);  // cut short by shutdown
    self.late = nullptr;
  }

  const bool keep_alive = req.keep_alive() && !stopping;
  http::response<http::string_body> res{static_cast<http::status>(r.status), req.version()};
  res.set(http::field::server, "provision-emulator");
  res.set(http::field::content_type, "application/json;charset=utf-8");
  for (const auto& [name, value] : r.headers) res.set(name, value);
  res.keep_alive(keep_alive);
  res.body() = std::move(r.body);
  res.prepare_payload();
  beast::get_lowest_layer(stream).expires_after(settings.write_timeout);
  auto [ec, n] = co_await http::async_write(stream, res, kNoThrow);
  entry.latency_ms = elapsed_ms(start);
  if (log) log->write(entry);
  co_return !ec && keep_alive;
}

net::awaitable<void> HttpsServer::Impl::serve(tcp::socket socket) {
  Stream stream(beast::tcp_stream(std::move(socket)), tls);
  Connection self{&stream};
  connections.insert(&self);
  struct Finish {
    Impl* impl;
    Connection* c;
    ~Finish() { impl->finished(*c); }
  } finish{this, &self};

  beast::get_lowest_layer(stream).expires_after(settings.handshake_timeout);
  auto [hs] = co_await stream.async_handshake(ssl::stream_base::server, kNoThrow);
  if (hs) co_return;

  beast::flat_buffer buffer;
  bool open = true;
  while (open && !stopping) {
    Parser parser;
    parser.header_limit(static_cast<std::uint32_t>(settings.max_header_bytes));
    parser.body_limit(settings.max_body_bytes);
    self.parser = &parser;
    beast::get_lowest_layer(stream).expires_after(settings.read_timeout);
    auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, kNoThrow);
    if (!ec && beast::iequals(parser.get()[http::field::expect], "100-continue")) {
      http::response<http::empty_body> go_on{http::status::continue_, parser.get().version()};
      co_await http::async_write(stream, go_on, kNoThrow);
    }
    if (!ec && !parser.is_done())
      std::tie(ec, n) = co_await http::async_read(stream, buffer, parser, kNoThrow);
    self.parser = nullptr;
    if (ec == http::error::body_limit) {
      co_await reject(stream, 413, "RequestEntityTooLarge", "The request body is larger than 1 MiB.");
      break;
    }
    if (ec == http::error::header_limit) {
      co_await reject(stream, 431, "RequestHeaderFieldsTooLarge", "The request headers are too large.");
      break;
    }
    if (ec && ec.category() == http::make_error_code(http::error::bad_target).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      co_await reject(stream, 400, "BadRequest", "The request is not valid HTTP/1.1.");
      break;
    }
    if (ec) co_return;  // closed, timed out or cancelled: nothing to say
    self.busy = true;
    open = co_await answer(stream, self, parser.get());
    self.busy = false;
    if (!beast::get_lowest_layer(stream).socket().is_open()) co_return;
  }
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
  co_await stream.async_shutdown(kNoThrow);
}

void HttpsServer::Impl::finished(Connection& c) {
  connections.erase(&c);
  --active;
  if (stopping && connections.empty()) grace.cancel();
}

void HttpsServer::Impl::begin_shutdown() {
  if (stopping) return;
  stopping = true;
  boost::system::error_code ignored;
  acceptor.close(ignored);
  signals.cancel(ignored);
  for (Connection* c : connections) {
    if (c->late) c->late->cancel();  // answer held-back requests now
    // Idle keep-alive connections and handshakes end now; a request being read or answered
    // gets the grace period.
    if (!c->busy && !(c->parser && c->parser->got_some())) cut_off(*c);
  }
  if (connections.empty()) return;
  grace.expires_after(settings.shutdown_grace);
  grace.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    for (Connection* c : connections) cut_off(*c);
  });
}

HttpsServer::HttpsServer(ServerSettings settings, RequestHandler& handler, AccessLog* log)
    : impl_(std::make_unique<Impl>(std::move(settings), handler, log)) {}

HttpsServer::~HttpsServer() = default;

std::uint16_t HttpsServer::listen() {
  Impl& s = *impl_;
  s.load_certificate();
  boost::system::error_code ec;
  std::string host = s.settings.host == "localhost" ? "127.0.0.1" : s.settings.host;
  net::ip::address address = net::ip::make_address(host, ec);
  if (ec) throw Error(ErrorKind::kUsage, "--listen: '" + s.settings.host + "' is not an IP address");
  tcp::endpoint endpoint(address, s.settings.port);
  const std::string where = s.settings.host + ":" + std::to_string(s.settings.port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) throw Error(ErrorKind::kNetwork, "cannot listen on " + where + ": " + ec.message());
  return s.acceptor.local_endpoint().port();
}

void HttpsServer::stop() {
  Impl& s = *impl_;
  net::post(s.ioc, [&s] { s.begin_shutdown(); });
}

void HttpsServer::run() {
  Impl& s = *impl_;
  std::signal(SIGPIPE, SIG_IGN);
  s.signals.async_wait([&s](boost::system::error_code ec, int) {
    if (!ec) s.begin_shutdown();
  });
  net::co_spawn(s.ioc, s.accept_loop(), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });
  s.ioc.run();
}

}  // namespace provision::emulator
