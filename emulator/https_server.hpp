// The emulator's HTTPS transport: TLS, HTTP/1.1 keep-alive, timeouts and size caps, signals
// and graceful shutdown. Boost.Beast stays inside https_server.cpp; this header has none.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "emulator/access_log.hpp"
#include "emulator/request_handler.hpp"

namespace provision::emulator {

struct ServerSettings {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8443;          // 0 = any free port
  std::filesystem::path certificate;  // PEM server certificate
  std::filesystem::path private_key;  // PEM private key
  int max_connections = 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  std::chrono::milliseconds handshake_timeout{10'000};
  std::chrono::milliseconds read_timeout{60'000};  // idle keep-alive and reading one request
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds shutdown_grace{5'000};  // then unfinished requests are cut off
};

class HttpsServer {
 public:
  // `handler` and `log` (may be null) must outlive the server.
  HttpsServer(ServerSettings settings, RequestHandler& handler, AccessLog* log);
  ~HttpsServer();
  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;

  // Loads the certificate, binds and listens; returns the bound port. Throws Error (kUsage for
  // a bad address, kState for certificate files, kNetwork when the port cannot be bound).
  std::uint16_t listen();

  // Serves on this thread until SIGTERM or SIGINT, then stops accepting, closes idle
  // connections, answers requests already read, and returns.
  void run();

  // Starts the same clean shutdown as SIGTERM; safe to call from any thread.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace provision::emulator
