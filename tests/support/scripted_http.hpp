// What a scripted test server receives (TestRequest) and how it answers (TestReply):
// bytes, or one of the ways a hostile or broken server misbehaves.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace provision::test {

using TestHeaders = std::vector<std::pair<std::string, std::string>>;

struct TestRequest {
  std::string method;  // empty when the bytes were not HTTP (a TLS ClientHello on a plain port)
  std::string target;
  TestHeaders headers;
  std::string body;
  std::string sni;   // the server name the client sent over TLS; empty when none
  std::string head;  // the request line and header lines as received (or the non-HTTP bytes)

  // First header named `name` (any case), or "".
  std::string header(const std::string& name) const;
};

// What the server does with one request.
struct TestReply {
  enum class Kind {
    kSend,                // write `bytes`, then keep the connection (or close it if close_after)
    kTrickle,             // like kSend, one byte every `interval`
    kSilence,             // never answer; hold the connection until the server stops
    kCloseNow,            // close the connection without a word (no close_notify)
    kEndlessHeaders,      // a status line followed by header lines until the client gives up
    kHugeBody,            // a 200 announcing `size` bytes of body, streamed until the client gives up
    kEndlessChunkedBody,  // a chunked 200 whose chunks never end
  };
  Kind kind = Kind::kSend;
  std::string bytes;
  bool close_after = false;
  std::uint64_t size = 0;
  std::chrono::milliseconds interval{0};

  // A complete response with Content-Length and content-type application/json.
  static TestReply json(int status, const std::string& body, const TestHeaders& extra = {});
  static TestReply raw(std::string bytes, bool close_after);
  static TestReply trickle(std::string bytes, std::chrono::milliseconds interval);
  static TestReply silence() { return of(Kind::kSilence); }
  static TestReply close_now() { return of(Kind::kCloseNow); }
  static TestReply endless_headers() { return of(Kind::kEndlessHeaders); }
  static TestReply huge_body(std::uint64_t bytes);
  static TestReply endless_chunked_body() { return of(Kind::kEndlessChunkedBody); }

 private:
  static TestReply of(Kind kind) {
    TestReply r;
    r.kind = kind;
    return r;
  }
};

// Called once per request (serialised), with the 0-based request number.
using TestHandler = std::function<TestReply(const TestRequest&, int index)>;

}  // namespace provision::test
