#include "support/scripted_http.hpp"

#include <algorithm>
#include <cctype>

namespace provision::test {

namespace {

bool iequal(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
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
  return raw(std::move(r), false);
}

TestReply TestReply::raw(std::string bytes, bool close_after) {
  TestReply r = of(Kind::kSend);
  r.bytes = std::move(bytes);
  r.close_after = close_after;
  return r;
}

TestReply TestReply::trickle(std::string bytes, std::chrono::milliseconds interval) {
  TestReply r = of(Kind::kTrickle);
  r.bytes = std::move(bytes);
  r.interval = interval;
  return r;
}

TestReply TestReply::huge_body(std::uint64_t bytes) {
  TestReply r = of(Kind::kHugeBody);
  r.size = bytes;
  return r;
}

}  // namespace provision::test
