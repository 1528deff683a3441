// A misbehaving server on 127.0.0.1:0 for the network-hostility and TLS scenarios:
// it stays silent, trickles one byte at a time, sends endless headers or an endless
// body, or speaks plain HTTP on the port. One thread per connection; it stops by
// itself (destructor, or its lifetime running out).
// Certificates come from the `openssl` command (make_certificates).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/loopback_listener.hpp"
#include "support/process.hpp"

namespace provision::test {

// PEM files made with the `openssl` command: a CA, and server certificates it signed.
struct Certificates {
  std::filesystem::path ca, other_ca;  // other_ca signed nothing here ("wrong CA")
  std::filesystem::path cert, key;     // valid, for IP:127.0.0.1 and DNS:localhost
  std::filesystem::path wrong_host;    // valid, for DNS:wrong-host.invalid only (key: `key`)
  std::filesystem::path expired;       // for IP:127.0.0.1, expired yesterday (key: `key`)
};

inline Certificates make_certificates(const std::filesystem::path& dir) {
  auto openssl = [&](std::vector<std::string> args) {
    args.insert(args.begin(), "/usr/bin/openssl");
    RunOptions o;
    o.cwd = dir.string();
    const auto r = run(args, o);
    if (r.exit_code != 0) throw std::runtime_error("openssl " + args[1] + " failed: " + r.err);
  };
  std::filesystem::create_directories(dir);
  for (const std::string ca : {"ca", "other-ca"}) {
    openssl({"ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", ca + "-key.pem"});
    openssl({"req", "-x509", "-new", "-key", ca + "-key.pem", "-subj", "/CN=provision " + ca, "-days", "2",
             "-out", ca + ".pem"});
  }
  openssl({"ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", "server-key.pem"});
  openssl(
      {"req", "-new", "-key", "server-key.pem", "-subj", "/CN=provision test server", "-out", "server.csr"});
  auto issue = [&](const std::string& out, const std::string& san, const std::string& days) {
    std::ofstream(dir / (out + ".ext")) << "subjectAltName=" << san << "\nextendedKeyUsage=serverAuth\n";
    // -days -1: notAfter one day before notBefore (now), an expired certificate.
    openssl({"x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
             "-days", days, "-extfile", out + ".ext", "-out", out + ".pem"});
  };
  issue("server", "IP:127.0.0.1,DNS:localhost", "2");
  issue("wrong-host", "DNS:wrong-host.invalid", "2");
  issue("expired", "IP:127.0.0.1,DNS:localhost", "-1");
  return {dir / "ca.pem",         dir / "other-ca.pem",   dir / "server.pem",
          dir / "server-key.pem", dir / "wrong-host.pem", dir / "expired.pem"};
}

enum class Hostility {
  kSilent,          // accept (and complete TLS when configured), then never say a word
  kTrickle,         // a response one byte every `interval`
  kEndlessHeaders,  // a status line, then header lines for ever
  kEndlessBody,     // a chunked 200 whose chunks never end
  kPlainHttp,       // no TLS: answer the ClientHello with an HTTP 400, as a plain HTTP server does
};

struct HostileOptions {
  Hostility behaviour = Hostility::kSilent;
  std::filesystem::path cert, key;  // both empty: plain TCP
  std::chrono::milliseconds interval{200};
  std::chrono::seconds lifetime{100};  // it gives up on every connection after this
};

class HostileServer {
 public:
  explicit HostileServer(HostileOptions options) : options_(std::move(options)) {
    std::signal(SIGPIPE, SIG_IGN);
    if (!options_.cert.empty()) {
      ctx_ = SSL_CTX_new(TLS_server_method());
      if (ctx_ == nullptr || SSL_CTX_use_certificate_chain_file(ctx_, options_.cert.c_str()) != 1 ||
          SSL_CTX_use_PrivateKey_file(ctx_, options_.key.c_str(), SSL_FILETYPE_PEM) != 1)
        throw std::runtime_error("hostile_server: cannot load " + options_.cert.string());
    }
    int port = 0;
    listen_fd_ = listen_on_loopback(port);
    port_ = static_cast<std::uint16_t>(port);
    deadline_ = std::chrono::steady_clock::now() + options_.lifetime;
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  ~HostileServer() {
    stopping_ = true;
    acceptor_.join();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);  // wakes blocked reads and writes
    }
    for (auto& t : workers_) t.join();
    ::close(listen_fd_);
    if (ctx_ != nullptr) SSL_CTX_free(ctx_);
  }
  HostileServer(const HostileServer&) = delete;
  HostileServer& operator=(const HostileServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }
  int connections() const { return connections_; }
  long long bytes_sent() const { return bytes_sent_; }

 private:
  bool over() const { return stopping_ || std::chrono::steady_clock::now() > deadline_; }

  void accept_loop() {
    while (!over()) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      ++connections_;
      std::lock_guard<std::mutex> lock(mutex_);
      open_fds_.push_back(fd);
      workers_.emplace_back([this, fd] { serve(fd); });
    }
  }

  // Blocks until the peer sends something or hangs up, or the server stops; false = give up.
  bool wait_readable(int fd) const {
    while (!over()) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 50) > 0) return true;
    }
    return false;
  }

  void serve(int fd) {
    SSL* ssl = nullptr;
    if (ctx_ != nullptr) {
      ssl = SSL_new(ctx_);
      SSL_set_fd(ssl, fd);
      if (!wait_readable(fd) || SSL_accept(ssl) != 1) return finish(fd, ssl);
    }
    if (options_.behaviour == Hostility::kSilent) {
      // Take whatever the client sends, never answer, until it hangs up or the server stops.
      char buf[4096];
      while (wait_readable(fd) && ::recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0) {
      }
      return finish(fd, ssl);
    }
    if (!read_request_head(fd, ssl)) return finish(fd, ssl);
    switch (options_.behaviour) {
      case Hostility::kTrickle: {
        const std::string body = "{\"requestId\":\"TRICKLE\",\"rayClusters\":[]}";
        const std::string response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                                     std::to_string(body.size()) + "\r\n\r\n" + body;
        for (char c : response) {
          if (!send(fd, ssl, std::string(1, c))) break;
          const auto next = std::chrono::steady_clock::now() + options_.interval;
          while (!over() && std::chrono::steady_clock::now() < next)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
          if (over()) break;
        }
        break;
      }
      case Hostility::kEndlessHeaders: {
        bool ok = send(fd, ssl, "HTTP/1.1 200 OK\r\n");
        for (long long i = 0; ok && !over(); ++i)
          ok = send(fd, ssl, "X-Endless-" + std::to_string(i) + ": " + std::string(100, 'h') + "\r\n");
        break;
      }
      case Hostility::kEndlessBody: {
        bool ok =
            send(fd, ssl,
                 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        const std::string chunk = "4000\r\n" + std::string(0x4000, ' ') + "\r\n";
        while (ok && !over()) ok = send(fd, ssl, chunk);
        break;
      }
      case Hostility::kPlainHttp: {
        const std::string body = "400 Bad Request: this port speaks plain HTTP\n";
        send(fd, ssl,
             "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: " +
                 std::to_string(body.size()) + "\r\n\r\n" + body);
        break;
      }
      case Hostility::kSilent:
        break;
    }
    finish(fd, ssl);
  }

  // Reads until a blank line (an HTTP request head), or for plain HTTP the first bytes
  // of whatever came (a TLS ClientHello has no blank line).
  bool read_request_head(int fd, SSL* ssl) {
    std::string got;
    char buf[4096];
    while (got.find("\r\n\r\n") == std::string::npos && got.size() < (1 << 20)) {
      if (!wait_readable(fd)) return false;
      const long n = ssl != nullptr ? SSL_read(ssl, buf, sizeof buf) : ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return false;
      got.append(buf, static_cast<std::size_t>(n));
      if (ssl == nullptr) return true;
    }
    return true;
  }

  bool send(int fd, SSL* ssl, const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size() && !over()) {
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, 50) <= 0) continue;  // the client stopped reading: wait, checking the stop flag
      const auto chunk = static_cast<int>(std::min<std::size_t>(bytes.size() - done, 16384));
      const long n = ssl != nullptr
                         ? SSL_write(ssl, bytes.data() + done, chunk)
                         : ::send(fd, bytes.data() + done, static_cast<std::size_t>(chunk), MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
      bytes_sent_ += n;
    }
    return done == bytes.size();
  }

  void finish(int fd, SSL* ssl) {
    if (ssl != nullptr) SSL_free(ssl);
    std::lock_guard<std::mutex> lock(mutex_);
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
    std::erase(open_fds_, fd);
  }

  HostileOptions options_;
  SSL_CTX* ctx_ = nullptr;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::chrono::steady_clock::time_point deadline_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::atomic<long long> bytes_sent_{0};
  std::mutex mutex_;  // guards open_fds_ and workers_
  std::vector<int> open_fds_;
  std::vector<std::thread> workers_;
  std::thread acceptor_;
};

}  // namespace provision::test
