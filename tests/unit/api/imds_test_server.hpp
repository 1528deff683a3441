// A scripted plain-HTTP server on 127.0.0.1 standing in for the ECS metadata service in tests.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/loopback_listener.hpp"

namespace provision::test {

class ImdsTestServer {
 public:
  // Raw bytes to send back for "METHOD /path"; unknown routes get a 404.
  void route(const std::string& method_and_path, std::string raw_response) {
    std::lock_guard lock(mutex_);
    routes_[method_and_path] = std::move(raw_response);
  }
  static std::string reply(int status, const std::string& body) {
    return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
  }
  // Accept connections but never answer them (until the server stops).
  void hang() { hang_ = true; }

  ImdsTestServer() {
    int port = 0;
    listen_fd_ = listen_on_loopback(port);
    port_ = static_cast<std::uint16_t>(port);
    thread_ = std::thread([this] { serve(); });
  }
  ~ImdsTestServer() {
    stop_ = true;
    thread_.join();
    for (int fd : held_) ::close(fd);
    ::close(listen_fd_);
  }
  ImdsTestServer(const ImdsTestServer&) = delete;
  ImdsTestServer& operator=(const ImdsTestServer&) = delete;

  std::uint16_t port() const { return port_; }
  // Every request head received so far ("PUT /latest/api/token HTTP/1.1\r\nHost: ...").
  std::vector<std::string> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void serve() {
    // Polls with a short timeout so the destructor's stop flag ends the loop promptly.
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      if (hang_) {
        held_.push_back(fd);
        continue;
      }
      answer(fd);
      ::close(fd);
    }
  }

  void answer(int fd) {
    std::string head;
    char buf[1024];
    for (int i = 0; i < 100 && head.find("\r\n\r\n") == std::string::npos; ++i) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return;
      head.append(buf, static_cast<std::size_t>(n));
    }
    std::string response = reply(404, "not found");
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(head);
      const auto key = head.substr(0, head.find(" HTTP/1.1"));
      if (const auto it = routes_.find(key); it != routes_.end()) response = it->second;
    }
    std::string_view rest = response;
    while (!rest.empty()) {
      const ssize_t n = ::send(fd, rest.data(), rest.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<bool> hang_{false};
  std::vector<int> held_;
  mutable std::mutex mutex_;
  std::map<std::string, std::string> routes_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

}  // namespace provision::test
