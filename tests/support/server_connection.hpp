// The server's end of one accepted connection on a scripted test server: a socket,
// with TLS on top or not; blocking reads and writes, and HTTP/1.1 requests read from it.
// The server unblocks it from another thread with shutdown(2) on the socket.
#pragma once

#include <openssl/ssl.h>

#include <atomic>
#include <cstddef>
#include <string>
#include <string_view>

#include "support/scripted_http.hpp"

namespace provision::test {

class ServerConnection {
 public:
  // `tls` null: plain TCP. Every byte written is added to `bytes_sent`.
  ServerConnection(int fd, SSL_CTX* tls, std::atomic<long long>& bytes_sent);
  ~ServerConnection();  // frees the TLS state without close_notify; the owner closes the socket
  ServerConnection(const ServerConnection&) = delete;
  ServerConnection& operator=(const ServerConnection&) = delete;

  bool handshake();  // the TLS handshake (true at once for plain TCP)
  std::string sni() const;

  enum class Read { kRequest, kNotHttp, kClosed };
  // The next request. kNotHttp: the first bytes cannot start an HTTP request (a TLS
  // ClientHello on a plain port); `out.head` holds them. kClosed: the peer hung up,
  // or sent a request too large or malformed to serve.
  Read read_request(TestRequest& out);

  bool write(std::string_view bytes);  // all of them; false when the peer is gone

 private:
  bool fill();  // reads more into pending_; false on EOF or error

  int fd_;
  SSL* ssl_ = nullptr;
  std::atomic<long long>& bytes_sent_;
  std::string pending_;
};

}  // namespace provision::test
