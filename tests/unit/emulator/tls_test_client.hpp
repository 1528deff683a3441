// A small blocking HTTPS/1.1 client over the OpenSSL C API for the emulator's socket tests:
// verified TLS to 127.0.0.1, raw request bytes out, one response in. Every read times out.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>

#include "api/signing/http_request_parts.hpp"

namespace provision::emulator::test {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

class TlsClient {
 public:
  // Connects to 127.0.0.1:port and verifies the server against `ca_file` for `verify_name`
  // (an IP address or DNS name). Throws std::runtime_error when any step fails.
  TlsClient(std::uint16_t port, const std::string& ca_file, const std::string& verify_name = "127.0.0.1") {
    ctx_ = SSL_CTX_new(TLS_client_method());
    if (!ctx_ || SSL_CTX_load_verify_locations(ctx_, ca_file.c_str(), nullptr) != 1) fail("CA file");
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) fail("connect");
    ssl_ = SSL_new(ctx_);
    SSL_set_fd(ssl_, fd_);
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl_);
    in_addr ip{};
    if (::inet_pton(AF_INET, verify_name.c_str(), &ip) == 1) {
      X509_VERIFY_PARAM_set1_ip_asc(param, verify_name.c_str());
    } else {
      X509_VERIFY_PARAM_set1_host(param, verify_name.c_str(), 0);
      SSL_set_tlsext_host_name(ssl_, verify_name.c_str());
    }
    if (SSL_connect(ssl_) != 1) fail("handshake");
  }

  ~TlsClient() { release(); }
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  void send(const std::string& bytes) {
    std::size_t done = 0;
    if (!ssl_) fail("write on a failed connection");
    while (done < bytes.size()) {
      int n = SSL_write(ssl_, bytes.data() + done, static_cast<int>(bytes.size() - done));
      if (n <= 0) fail("write");
      done += static_cast<std::size_t>(n);
    }
  }

  // One response (Content-Length bodies only, which is all the emulator sends); nullopt when
  // the server closed or reset the connection before a complete response.
  std::optional<RawResponse> read_response() {
    std::size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos)
      if (!fill()) return std::nullopt;
    RawResponse r;
    std::string head = buffer_.substr(0, header_end);
    buffer_.erase(0, header_end + 4);
    std::size_t line_end = head.find("\r\n");
    std::string status_line = head.substr(0, line_end);
    r.status = std::stoi(status_line.substr(9, 3));
    while (line_end != std::string::npos) {
      std::size_t start = line_end + 2;
      line_end = head.find("\r\n", start);
      std::string line =
          head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
      std::size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = api::ascii_lower(line.substr(0, colon));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers[name] = value;
    }
    std::size_t length = r.headers.count("content-length") ? std::stoul(r.headers["content-length"]) : 0;
    while (buffer_.size() < length)
      if (!fill()) return std::nullopt;
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return r;
  }

  // True when the server closed the connection (a read sees end of stream or an error).
  bool closed() { return buffer_.empty() && !fill(); }

 private:
  bool fill() {
    if (!ssl_) return false;
    char chunk[16384];
    int n = SSL_read(ssl_, chunk, sizeof chunk);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  void release() {
    if (ssl_) SSL_free(ssl_);
    if (fd_ >= 0) ::close(fd_);
    if (ctx_) SSL_CTX_free(ctx_);
    ssl_ = nullptr;
    fd_ = -1;
    ctx_ = nullptr;
  }

  // Also frees everything, since a throwing constructor runs no destructor.
  [[noreturn]] void fail(const std::string& what) {
    unsigned long e = ERR_get_error();
    char buf[256] = "";
    if (e) ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    release();
    throw std::runtime_error("tls client: " + what + " failed " + buf);
  }

  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  int fd_ = -1;
  std::string buffer_;
};

// The request as bytes on the wire; `chunked` sends the body with Transfer-Encoding: chunked
// (in two chunks) and no Content-Length, as the official Node SDK does.
inline std::string wire_request(const api::HttpRequestParts& r, bool chunked = false,
                                bool keep_alive = true) {
  std::string out = r.method + " " + r.path;
  std::string query = api::encode_query_string(r.query);
  if (!query.empty()) out += "?" + query;
  out += " HTTP/1.1\r\n";
  for (const auto& [name, value] : r.headers) out += name + ": " + value + "\r\n";
  if (!keep_alive) out += "Connection: close\r\n";
  if (chunked) {
    out += "Transfer-Encoding: chunked\r\n\r\n";
    std::size_t half = r.body.size() / 2;
    for (std::string part : {r.body.substr(0, half), r.body.substr(half)}) {
      if (part.empty()) continue;
      char size[24];
      std::snprintf(size, sizeof size, "%zx", part.size());
      out += std::string(size) + "\r\n" + part + "\r\n";
    }
    out += "0\r\n\r\n";
  } else {
    out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n\r\n" + r.body;
  }
  return out;
}

}  // namespace provision::emulator::test
