// TLS test server: in-memory certificates (OpenSSL API), one thread per connection,
// blocking OpenSSL I/O, scripted replies. Stops by itself when destroyed.
#include "support/tls_test_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <stdexcept>

namespace provision::test {

namespace {

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using CertPtr = std::unique_ptr<X509, decltype(&X509_free)>;

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("tls_test_server: ") + what + " failed");
}

KeyPtr make_key() {
  KeyPtr key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  require(key != nullptr, "EVP_EC_gen");
  return key;
}

void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  require(ext != nullptr, "X509V3_EXT_conf_nid");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A certificate for `key`, signed by issuer_key (self-signed when issuer is null).
CertPtr make_cert(EVP_PKEY* key, const std::string& common_name, X509* issuer, EVP_PKEY* issuer_key,
                  const std::string& san) {
  static std::atomic<long> serial{1};
  CertPtr cert(X509_new(), X509_free);
  require(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial++);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0);
  X509* signer = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  if (issuer == nullptr) {
    add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
  } else {
    add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(cert.get(), signer, NID_key_usage, "critical,digitalSignature");
    add_extension(cert.get(), signer, NID_ext_key_usage, "serverAuth");
    add_extension(cert.get(), signer, NID_authority_key_identifier, "keyid");
    if (!san.empty()) add_extension(cert.get(), signer, NID_subject_alt_name, san);
  }
  require(X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) > 0, "X509_sign");
  return cert;
}

std::string to_pem(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(len));
  BIO_free(bio);
  return out;
}

bool write_all(SSL* ssl, const char* data, size_t size) {
  while (size > 0) {
    int chunk = static_cast<int>(std::min<size_t>(size, 16384));
    int n = SSL_write(ssl, data, chunk);
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

bool iequal(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Reads one request; false when the peer closed or sent garbage.
bool read_request(SSL* ssl, std::string& pending, TestRequest& out) {
  constexpr size_t kMax = 1 << 20;
  size_t end = 0;
  char buf[4096];
  while ((end = pending.find("\r\n\r\n")) == std::string::npos) {
    if (pending.size() > kMax) return false;
    int n = SSL_read(ssl, buf, sizeof buf);
    if (n <= 0) return false;
    pending.append(buf, static_cast<size_t>(n));
  }
  std::string head = pending.substr(0, end);
  pending.erase(0, end + 4);
  size_t line_end = head.find("\r\n");
  std::string request_line = head.substr(0, line_end);
  size_t s1 = request_line.find(' ');
  size_t s2 = request_line.find(' ', s1 + 1);
  if (s1 == std::string::npos || s2 == std::string::npos) return false;
  out.method = request_line.substr(0, s1);
  out.target = request_line.substr(s1 + 1, s2 - s1 - 1);
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t next = head.find("\r\n", pos);
    if (next == std::string::npos) next = head.size();
    std::string line = head.substr(pos, next - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      out.headers.emplace_back(line.substr(0, colon), value);
    }
    pos = next + 2;
  }
  size_t length = 0;
  if (std::string cl = out.header("content-length"); !cl.empty()) length = std::stoul(cl);
  if (length > kMax) return false;
  while (pending.size() < length) {
    int n = SSL_read(ssl, buf, sizeof buf);
    if (n <= 0) return false;
    pending.append(buf, static_cast<size_t>(n));
  }
  out.body = pending.substr(0, length);
  pending.erase(0, length);
  return true;
}

const char* reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

}  // namespace

std::string TestRequest::header(const std::string& name) const {
  for (const auto& [n, v] : headers) {
    if (iequal(n, name)) return v;
  }
  return {};
}

TestReply TestReply::json(int status, const std::string& body, const TestHeaders& extra) {
  std::string r = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) + "\r\n";
  r += "Content-Type: application/json;charset=utf-8\r\n";
  r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  for (const auto& [n, v] : extra) r.append(n).append(": ").append(v).append("\r\n");
  r += "\r\n" + body;
  return TestReply{Kind::kSend, std::move(r), false, 0};
}

TestReply TestReply::raw(std::string bytes, bool close_after) {
  return TestReply{Kind::kSend, std::move(bytes), close_after, 0};
}

TlsTestServer::TlsTestServer(TestHandler handler, TlsTestServerOptions options)
    : handler_(std::move(handler)), options_(std::move(options)) {
  std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not kill the test process

  KeyPtr ca_key = make_key();
  CertPtr ca = make_cert(ca_key.get(), "provision test CA", nullptr, nullptr, "");
  std::string san;
  for (const auto& d : options_.dns_names) san += (san.empty() ? "" : ",") + std::string("DNS:") + d;
  for (const auto& ip : options_.ip_addresses) san += (san.empty() ? "" : ",") + std::string("IP:") + ip;
  KeyPtr key = make_key();
  CertPtr cert = make_cert(key.get(), "provision test server", ca.get(), ca_key.get(), san);
  ca_pem_ = to_pem(ca.get());

  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  require(ctx != nullptr, "SSL_CTX_new");
  ssl_ctx_ = std::shared_ptr<void>(ctx, [](void* p) { SSL_CTX_free(static_cast<SSL_CTX*>(p)); });
  require(SSL_CTX_use_certificate(ctx, cert.get()) == 1, "SSL_CTX_use_certificate");
  require(SSL_CTX_use_PrivateKey(ctx, key.get()) == 1, "SSL_CTX_use_PrivateKey");

  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  require(listen_fd_ >= 0, "socket");
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  require(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0, "bind");
  require(::listen(listen_fd_, 64) == 0, "listen");
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

TlsTestServer::~TlsTestServer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);  // unblocks SSL_read/SSL_write
  }
  stop_cv_.notify_all();
  acceptor_.join();
  for (auto& t : workers_) t.join();
  ::close(listen_fd_);
}

int TlsTestServer::open_connections() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(open_fds_.size());
}

std::vector<TestRequest> TlsTestServer::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

void TlsTestServer::accept_loop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
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

bool TlsTestServer::wait_for_stop() {
  std::unique_lock lock(mutex_);
  stop_cv_.wait(lock, [this] { return stopping_.load(); });
  return true;
}

void TlsTestServer::serve(int fd) {
  struct Closer {
    TlsTestServer* self;
    int fd;
    SSL* ssl = nullptr;
    ~Closer() {
      if (ssl) SSL_free(ssl);  // no SSL_shutdown: close without close_notify, like many servers
      std::lock_guard lock(self->mutex_);
      std::erase(self->open_fds_, fd);
      ::close(fd);
    }
  } closer{this, fd};

  if (options_.stall_before_handshake) {
    wait_for_stop();
    return;
  }
  SSL* ssl = SSL_new(static_cast<SSL_CTX*>(ssl_ctx_.get()));
  closer.ssl = ssl;
  SSL_set_fd(ssl, fd);
  if (SSL_accept(ssl) != 1) {
    ERR_clear_error();
    return;
  }
  ++handshakes_;
  if (options_.stall_after_handshake) {
    wait_for_stop();
    return;
  }
  const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  std::string pending;
  while (!stopping_) {
    TestRequest request;
    request.sni = sni ? sni : "";
    if (!read_request(ssl, pending, request)) return;
    TestReply reply;
    {
      std::lock_guard lock(mutex_);
      int index = requests_++;
      received_.push_back(request);
      reply = handler_(request, index);
    }
    switch (reply.kind) {
      case TestReply::Kind::kSend:
        if (!write_all(ssl, reply.bytes.data(), reply.bytes.size()) || reply.close_after) return;
        break;
      case TestReply::Kind::kSilence:
        wait_for_stop();
        return;
      case TestReply::Kind::kCloseNow:
        return;
      case TestReply::Kind::kEndlessHeaders: {
        std::string status = "HTTP/1.1 200 OK\r\n";
        if (!write_all(ssl, status.data(), status.size())) return;
        std::string line = "X-Filler: " + std::string(1000, 'a') + "\r\n";
        for (int i = 0; i < 100'000 && !stopping_; ++i) {  // bounded: 100 MB at most
          if (!write_all(ssl, line.data(), line.size())) return;
        }
        return;
      }
      case TestReply::Kind::kHugeBody: {
        std::string head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                           std::to_string(reply.size) + "\r\n\r\n";
        if (!write_all(ssl, head.data(), head.size())) return;
        std::string chunk(65536, ' ');
        for (std::uint64_t sent = 0; sent < reply.size && !stopping_; sent += chunk.size()) {
          if (!write_all(ssl, chunk.data(), std::min<std::uint64_t>(chunk.size(), reply.size - sent))) return;
        }
        return;
      }
    }
  }
}

std::string unrelated_ca_pem() {
  KeyPtr key = make_key();
  CertPtr ca = make_cert(key.get(), "unrelated test CA", nullptr, nullptr, "");
  return to_pem(ca.get());
}

std::uint16_t unused_local_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  require(fd >= 0, "socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  require(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0, "bind");
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace provision::test
