#include "support/server_connection.hpp"

#include <openssl/err.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <utility>

namespace provision::test {

namespace {

constexpr std::size_t kMaxRequest = 1 << 20;

// An HTTP request starts with a method token: upper-case letters.
bool may_start_http(const std::string& bytes) {
  for (const char c : bytes) {
    if (c == ' ') return true;
    if (!std::isupper(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Splits `head` (without the blank line) into request line and headers; false when malformed.
bool parse_head(const std::string& head, TestRequest& out) {
  const std::size_t line_end = head.find("\r\n");
  const std::string request_line = head.substr(0, line_end);
  const std::size_t s1 = request_line.find(' ');
  const std::size_t s2 = request_line.find(' ', s1 + 1);
  if (s1 == std::string::npos || s2 == std::string::npos) return false;
  out.method = request_line.substr(0, s1);
  out.target = request_line.substr(s1 + 1, s2 - s1 - 1);
  std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    std::size_t next = head.find("\r\n", pos);
    if (next == std::string::npos) next = head.size();
    const std::string line = head.substr(pos, next - pos);
    if (const std::size_t colon = line.find(':'); colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      out.headers.emplace_back(line.substr(0, colon), value);
    }
    pos = next + 2;
  }
  return true;
}

}  // namespace

ServerConnection::ServerConnection(int fd, SSL_CTX* tls, std::atomic<long long>& bytes_sent)
    : fd_(fd), bytes_sent_(bytes_sent) {
  if (tls != nullptr) {
    ssl_ = SSL_new(tls);
    if (ssl_ != nullptr) SSL_set_fd(ssl_, fd_);
  }
}

ServerConnection::~ServerConnection() {
  if (ssl_ != nullptr) SSL_free(ssl_);  // no SSL_shutdown: close without close_notify, like many servers
}

bool ServerConnection::handshake() {
  if (ssl_ == nullptr) return true;
  if (SSL_accept(ssl_) == 1) return true;
  ERR_clear_error();
  return false;
}

std::string ServerConnection::sni() const {
  const char* name = ssl_ != nullptr ? SSL_get_servername(ssl_, TLSEXT_NAMETYPE_host_name) : nullptr;
  return name != nullptr ? name : "";
}

bool ServerConnection::fill() {
  char buf[4096];
  const long n = ssl_ != nullptr ? SSL_read(ssl_, buf, sizeof buf) : ::recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) return false;
  pending_.append(buf, static_cast<std::size_t>(n));
  return true;
}

ServerConnection::Read ServerConnection::read_request(TestRequest& out) {
  std::size_t end = 0;
  while ((end = pending_.find("\r\n\r\n")) == std::string::npos) {
    if (!pending_.empty() && !may_start_http(pending_)) {
      out.head = std::exchange(pending_, {});
      return Read::kNotHttp;
    }
    if (pending_.size() > kMaxRequest || !fill()) return Read::kClosed;
  }
  out.head = pending_.substr(0, end);
  pending_.erase(0, end + 4);
  if (!parse_head(out.head, out)) return Read::kClosed;
  std::size_t length = 0;
  if (const std::string cl = out.header("content-length"); !cl.empty()) length = std::stoul(cl);
  if (length > kMaxRequest) return Read::kClosed;
  while (pending_.size() < length) {
    if (!fill()) return Read::kClosed;
  }
  out.body = pending_.substr(0, length);
  pending_.erase(0, length);
  return Read::kRequest;
}

bool ServerConnection::write(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto chunk = std::min<std::size_t>(bytes.size(), 16384);
    const long n = ssl_ != nullptr ? SSL_write(ssl_, bytes.data(), static_cast<int>(chunk))
                                   : ::send(fd_, bytes.data(), chunk, MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
    bytes_sent_ += n;
  }
  return true;
}

}  // namespace provision::test
