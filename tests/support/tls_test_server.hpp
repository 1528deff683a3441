// A tiny TLS/HTTP server on 127.0.0.1 for client tests, able to misbehave on cue:
// stall, truncate, send endless headers or huge bodies. Its throwaway CA and
// server certificate are generated in memory with the OpenSSL API.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace provision::test {

using TestHeaders = std::vector<std::pair<std::string, std::string>>;

struct TestRequest {
  std::string method;
  std::string target;
  TestHeaders headers;
  std::string body;
  std::string sni;  // the server name the client sent; empty when none

  // First header named `name` (any case), or "".
  std::string header(const std::string& name) const;
};

// What the server does with one request.
struct TestReply {
  enum class Kind {
    kSend,            // write `bytes`, then keep the connection (or close it if close_after)
    kSilence,         // never answer; hold the connection until the server stops
    kCloseNow,        // close the connection without a word (no close_notify)
    kEndlessHeaders,  // a status line followed by header lines until the client gives up
    kHugeBody,        // a 200 announcing `size` bytes of body, streamed until the client gives up
  };
  Kind kind = Kind::kSend;
  std::string bytes;
  bool close_after = false;
  std::uint64_t size = 0;

  // A complete response with Content-Length and content-type application/json.
  static TestReply json(int status, const std::string& body, const TestHeaders& extra = {});
  static TestReply raw(std::string bytes, bool close_after);
  static TestReply silence() { return TestReply{Kind::kSilence, {}, false, 0}; }
  static TestReply close_now() { return TestReply{Kind::kCloseNow, {}, false, 0}; }
  static TestReply endless_headers() { return TestReply{Kind::kEndlessHeaders, {}, false, 0}; }
  static TestReply huge_body(std::uint64_t bytes) { return TestReply{Kind::kHugeBody, {}, false, bytes}; }
};

// Called once per request (serialised), with the 0-based request number.
using TestHandler = std::function<TestReply(const TestRequest&, int index)>;

struct TlsTestServerOptions {
  std::vector<std::string> dns_names = {"localhost"};     // subjectAltName DNS entries
  std::vector<std::string> ip_addresses = {"127.0.0.1"};  // subjectAltName IP entries
  bool stall_before_handshake = false;                    // accept TCP, never speak TLS
  bool stall_after_handshake = false;                     // complete TLS, then never read
};

class TlsTestServer {
 public:
  explicit TlsTestServer(TestHandler handler, TlsTestServerOptions options = {});
  ~TlsTestServer();
  TlsTestServer(const TlsTestServer&) = delete;
  TlsTestServer& operator=(const TlsTestServer&) = delete;

  std::uint16_t port() const { return port_; }
  const std::string& ca_pem() const { return ca_pem_; }  // the CA that issued the server certificate
  int connections() const { return connections_; }
  int handshakes() const { return handshakes_; }
  int requests() const { return requests_; }
  int open_connections() const;  // connections not yet closed by the server
  std::vector<TestRequest> received() const;

 private:
  void accept_loop();
  void serve(int fd);
  bool wait_for_stop();

  TestHandler handler_;
  TlsTestServerOptions options_;
  std::string ca_pem_;
  std::shared_ptr<void> ssl_ctx_;  // SSL_CTX, freed with SSL_CTX_free
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> handshakes_{0};
  std::atomic<int> requests_{0};
  mutable std::mutex mutex_;  // guards the members below and serialises handler_
  std::condition_variable stop_cv_;
  std::vector<int> open_fds_;
  std::vector<std::thread> workers_;
  std::vector<TestRequest> received_;
  std::thread acceptor_;
};

// PEM of a fresh CA that signed nothing the server presents ("wrong CA" tests).
std::string unrelated_ca_pem();

// A port on 127.0.0.1 with nothing listening (bound, then released).
std::uint16_t unused_local_port();

}  // namespace provision::test
