// Scripted test server: one thread per connection, blocking I/O (shutdown(2) unblocks it
// when the server stops), replies from the test's handler.
#include "support/scripted_server.hpp"

#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <stdexcept>
#include <string_view>

#include "support/loopback_listener.hpp"
#include "support/server_connection.hpp"
#include "support/test_certificates.hpp"

namespace provision::test {

namespace {

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("scripted_server: ") + what + " failed");
}

// A TLS server context presenting `identity`.
std::shared_ptr<void> server_context(const CertificateAndKey& identity) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  require(ctx != nullptr, "SSL_CTX_new");
  std::shared_ptr<void> owned(ctx, [](void* p) { SSL_CTX_free(static_cast<SSL_CTX*>(p)); });
  BIO* cert =
      BIO_new_mem_buf(identity.certificate_pem.data(), static_cast<int>(identity.certificate_pem.size()));
  BIO* key = BIO_new_mem_buf(identity.key_pem.data(), static_cast<int>(identity.key_pem.size()));
  X509* x509 = PEM_read_bio_X509(cert, nullptr, nullptr, nullptr);
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(key, nullptr, nullptr, nullptr);
  const bool ok = x509 != nullptr && pkey != nullptr && SSL_CTX_use_certificate(ctx, x509) == 1 &&
                  SSL_CTX_use_PrivateKey(ctx, pkey) == 1;
  X509_free(x509);
  EVP_PKEY_free(pkey);
  BIO_free(cert);
  BIO_free(key);
  require(ok, "loading the server certificate");
  return owned;
}

}  // namespace

ScriptedServer::ScriptedServer(TestHandler handler, ScriptedServerOptions options)
    : handler_(std::move(handler)), options_(std::move(options)) {
  std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not kill the test process
  if (options_.tls) {
    const TestCa ca;
    ca_pem_ = ca.pem().certificate_pem;
    ssl_ctx_ = server_context(ca.issue({options_.dns_names, options_.ip_addresses, false}));
  }
  int port = 0;
  listen_fd_ = listen_on_loopback(port, 64);
  port_ = static_cast<std::uint16_t>(port);
  deadline_ = std::chrono::steady_clock::now() + options_.lifetime;
  acceptor_ = std::thread([this] { accept_loop(); });
}

ScriptedServer::~ScriptedServer() {
  stop();
  acceptor_.join();
  for (auto& t : workers_) t.join();
  ::close(listen_fd_);
}

void ScriptedServer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);  // unblocks reads and writes
  }
  stop_cv_.notify_all();
}

bool ScriptedServer::stopped_within(std::chrono::steady_clock::duration wait) {
  std::unique_lock lock(mutex_);
  return stop_cv_.wait_for(lock, wait, [this] { return stopping_.load(); });
}

int ScriptedServer::open_connections() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(open_fds_.size());
}

std::vector<TestRequest> ScriptedServer::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

void ScriptedServer::accept_loop() {
  while (!stopping_) {
    if (options_.lifetime.count() > 0 && std::chrono::steady_clock::now() >= deadline_) {
      stop();
      break;
    }
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::lock_guard lock(mutex_);
    if (stopping_) {
      ::close(fd);
      break;
    }
    ++connections_;
    open_fds_.push_back(fd);
    workers_.emplace_back([this, fd] { serve(fd); });
  }
}

void ScriptedServer::serve(int fd) {
  struct Closer {
    ScriptedServer* self;
    int fd;
    ~Closer() {
      std::lock_guard lock(self->mutex_);
      std::erase(self->open_fds_, fd);
      ::close(fd);
    }
  } closer{this, fd};
  // Declared after the closer: the TLS state is freed before the socket is closed.
  ServerConnection connection(fd, static_cast<SSL_CTX*>(ssl_ctx_.get()), bytes_sent_);

  if (options_.stall_before_handshake) {
    stopped_within(std::chrono::hours(24));
    return;
  }
  if (!connection.handshake()) return;
  if (options_.tls) ++handshakes_;
  if (options_.stall_after_handshake) {
    stopped_within(std::chrono::hours(24));
    return;
  }
  const std::string sni = connection.sni();
  while (!stopping_) {
    TestRequest request;
    request.sni = sni;
    if (connection.read_request(request) == ServerConnection::Read::kClosed) return;
    TestReply reply;
    {
      std::lock_guard lock(mutex_);
      const int index = requests_++;
      received_.push_back(request);
      reply = handler_(request, index);
    }
    if (!play(reply, connection)) return;
  }
}

bool ScriptedServer::play(const TestReply& reply, ServerConnection& connection) {
  switch (reply.kind) {
    case TestReply::Kind::kSend:
      return connection.write(reply.bytes) && !reply.close_after;
    case TestReply::Kind::kTrickle:
      for (const char c : reply.bytes) {
        if (!connection.write(std::string_view(&c, 1)) || stopped_within(reply.interval)) return false;
      }
      return !reply.close_after;
    case TestReply::Kind::kSilence:
      stopped_within(std::chrono::hours(24));
      return false;
    case TestReply::Kind::kCloseNow:
      return false;
    case TestReply::Kind::kEndlessHeaders: {
      if (!connection.write("HTTP/1.1 200 OK\r\n")) return false;
      const std::string line = "X-Filler: " + std::string(1000, 'a') + "\r\n";
      for (int i = 0; i < 100'000 && !stopping_; ++i) {  // bounded: 100 MB at most
        if (!connection.write(line)) return false;
      }
      return false;
    }
    case TestReply::Kind::kHugeBody: {
      if (!connection.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                            std::to_string(reply.size) + "\r\n\r\n"))
        return false;
      const std::string chunk(65536, ' ');
      for (std::uint64_t sent = 0; sent < reply.size && !stopping_; sent += chunk.size()) {
        if (!connection.write(std::string_view(chunk).substr(0, reply.size - sent))) return false;
      }
      return false;
    }
    case TestReply::Kind::kEndlessChunkedBody: {
      bool ok = connection.write(
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
      const std::string chunk = "4000\r\n" + std::string(0x4000, ' ') + "\r\n";
      while (ok && !stopping_) ok = connection.write(chunk);  // until the client or the server gives up
      return false;
    }
  }
  return false;
}

}  // namespace provision::test
