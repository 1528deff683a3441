// Blocking socket I/O bounded by poll() deadlines: a dead metadata service costs at most 2 timeouts.
#include "api/imds_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "core/error.hpp"

namespace provision::api {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr std::size_t kMaxResponse = std::size_t{64} * 1024;

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

class Exchange {
 public:
  explicit Exchange(const ImdsEndpoint& endpoint)
      : where_(endpoint.host + ":" + std::to_string(endpoint.port)), timeout_(endpoint.timeout) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(ErrorKind::kNetwork, "metadata service " + where_ + ": " + what);
  }

  // Waits for `events` until `deadline`; fails with `what` on timeout.
  void wait(int fd, short events, SteadyClock::time_point deadline, const char* what) const {
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
      if (left.count() <= 0)
        fail(std::string(what) + " timed out after " + std::to_string(timeout_.count()) + " ms");
      pollfd p{fd, events, 0};
      const int n = ::poll(&p, 1, static_cast<int>(left.count()));
      if (n > 0) return;
      if (n < 0 && errno != EINTR) fail(std::string("poll: ") + std::strerror(errno));
    }
  }

  const std::string& where() const { return where_; }
  std::chrono::milliseconds timeout() const { return timeout_; }

 private:
  std::string where_;
  std::chrono::milliseconds timeout_;
};

void connect_to(const Exchange& ex, const Socket& s, const ImdsEndpoint& endpoint) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(endpoint.port);
  if (::inet_pton(AF_INET, endpoint.host.c_str(), &addr.sin_addr) != 1) ex.fail("not an IPv4 address");
  if (::connect(s.fd(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) return;
  if (errno != EINPROGRESS) ex.fail(std::string("connect: ") + std::strerror(errno));
  ex.wait(s.fd(), POLLOUT, SteadyClock::now() + ex.timeout(), "connect");
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(s.fd(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  if (err != 0) ex.fail(std::string("connect: ") + std::strerror(err));
}

void send_all(const Exchange& ex, const Socket& s, std::string_view data, SteadyClock::time_point deadline) {
  while (!data.empty()) {
    ex.wait(s.fd(), POLLOUT, deadline, "sending the request");
    const ssize_t n = ::send(s.fd(), data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) ex.fail(std::string("send: ") + std::strerror(errno));
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::string read_all(const Exchange& ex, const Socket& s, SteadyClock::time_point deadline) {
  std::string data;
  char buf[4096];
  while (true) {
    ex.wait(s.fd(), POLLIN, deadline, "waiting for the response");
    const ssize_t n = ::recv(s.fd(), buf, sizeof buf, 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n < 0) ex.fail(std::string("recv: ") + std::strerror(errno));
    if (n == 0) return data;
    data.append(buf, static_cast<std::size_t>(n));
    if (data.size() > kMaxResponse) ex.fail("response larger than 64 KiB");
  }
}

bool parse_size(std::string_view text, int base, std::size_t& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out, base);
  return !text.empty() && ec == std::errc{} && end == text.data() + text.size();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string decode_chunked(const Exchange& ex, std::string_view data) {
  std::string body;
  while (true) {
    const auto eol = data.find("\r\n");
    if (eol == std::string_view::npos) ex.fail("truncated chunked response");
    std::string_view size_text = trim(data.substr(0, eol));
    size_text = size_text.substr(0, size_text.find(';'));
    std::size_t size = 0;
    if (!parse_size(size_text, 16, size)) ex.fail("malformed chunk size");
    data.remove_prefix(eol + 2);
    if (size == 0) return body;
    if (data.size() < size + 2) ex.fail("truncated chunked response");
    body.append(data.substr(0, size));
    data.remove_prefix(size + 2);
  }
}

ImdsResponse parse_response(const Exchange& ex, std::string_view data) {
  const auto head_end = data.find("\r\n\r\n");
  if (head_end == std::string_view::npos)
    ex.fail(data.empty() ? "closed without a response" : "truncated response");
  std::string_view head = data.substr(0, head_end);
  const std::string_view rest = data.substr(head_end + 4);
  const auto first_eol = head.find("\r\n");
  const std::string_view status_line = head.substr(0, first_eol);
  std::size_t status = 0;
  if (!status_line.starts_with("HTTP/1.") || status_line.size() < 12 ||
      !parse_size(status_line.substr(9, 3), 10, status)) {
    ex.fail("malformed status line");
  }
  ImdsResponse response{static_cast<int>(status), std::string(rest)};
  head.remove_prefix(first_eol == std::string_view::npos ? head.size() : first_eol + 2);
  while (!head.empty()) {
    const auto eol = head.find("\r\n");
    const std::string_view line = head.substr(0, eol);
    head.remove_prefix(eol == std::string_view::npos ? head.size() : eol + 2);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) ex.fail("malformed header line");
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trim(line.substr(colon + 1));
    if (header_name_equal(name, "content-length")) {
      std::size_t length = 0;
      if (!parse_size(value, 10, length)) ex.fail("malformed Content-Length");
      if (rest.size() < length) ex.fail("truncated response body");
      response.body.resize(length);
    } else if (header_name_equal(name, "transfer-encoding") && ascii_lower(value) == "chunked") {
      response.body = decode_chunked(ex, rest);
    }
  }
  return response;
}

}  // namespace

ImdsResponse imds_request(const ImdsEndpoint& endpoint, std::string_view method, std::string_view path,
                          const NameValueList& headers) {
  const Exchange ex(endpoint);
  const Socket s(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (s.fd() < 0) ex.fail(std::string("socket: ") + std::strerror(errno));
  connect_to(ex, s, endpoint);

  std::string request = std::string(method) + " " + std::string(path) +
                        " HTTP/1.1\r\nHost: " + endpoint.host +
                        "\r\nConnection: close\r\nContent-Length: 0\r\n";
  for (const auto& [name, value] : headers) {
    request.append(name).append(": ").append(value).append("\r\n");
  }
  request += "\r\n";
  const auto deadline = SteadyClock::now() + endpoint.timeout;
  send_all(ex, s, request, deadline);
  return parse_response(ex, read_all(ex, s, deadline));
}

}  // namespace provision::api
