// A scripted HTTP server on 127.0.0.1 for client tests, over TLS (a throwaway CA and
// server certificate made in memory) or plain TCP. One thread per connection; each
// request gets the TestReply the test's handler picks, which may be a misbehaviour:
// silence, a cut connection, a trickle, endless headers, a huge or endless body. It
// can also stall before or after the TLS handshake. It stops by itself: the destructor
// cuts every connection and joins every thread, or the lifetime runs out first.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/scripted_http.hpp"

namespace provision::test {

class ServerConnection;

struct ScriptedServerOptions {
  bool tls = true;                                        // false: plain TCP/HTTP
  std::vector<std::string> dns_names = {"localhost"};     // subjectAltName DNS entries
  std::vector<std::string> ip_addresses = {"127.0.0.1"};  // subjectAltName IP entries
  bool stall_before_handshake = false;                    // accept TCP, never read or speak
  bool stall_after_handshake = false;                     // complete TLS, then never read
  // Above zero: after this long the server cuts every connection and accepts no more.
  std::chrono::milliseconds lifetime{0};
};

class ScriptedServer {
 public:
  explicit ScriptedServer(TestHandler handler, ScriptedServerOptions options = {});
  ~ScriptedServer();
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }
  const std::string& ca_pem() const { return ca_pem_; }  // the CA that issued the server certificate
  int connections() const { return connections_; }
  int handshakes() const { return handshakes_; }
  int requests() const { return requests_; }
  long long bytes_sent() const { return bytes_sent_; }
  int open_connections() const;  // connections not yet closed by the server
  std::vector<TestRequest> received() const;

 private:
  void accept_loop();
  void serve(int fd);
  bool play(const TestReply& reply, ServerConnection& connection);  // false: the connection is done
  void stop();
  bool stopped_within(std::chrono::steady_clock::duration wait);

  TestHandler handler_;
  ScriptedServerOptions options_;
  std::string ca_pem_;
  std::shared_ptr<void> ssl_ctx_;  // SSL_CTX, freed with SSL_CTX_free; null for plain TCP
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::chrono::steady_clock::time_point deadline_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> handshakes_{0};
  std::atomic<int> requests_{0};
  std::atomic<long long> bytes_sent_{0};
  mutable std::mutex mutex_;  // guards the members below and serialises handler_
  std::condition_variable stop_cv_;
  std::vector<int> open_fds_;
  std::vector<std::thread> workers_;
  std::vector<TestRequest> received_;
  std::thread acceptor_;
};

}  // namespace provision::test
