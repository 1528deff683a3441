// One request to the ECS metadata service: plain HTTP through the shared transport
// (HttpsClient with a plain-HTTP endpoint), run to completion on a private io_context.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/signing/http_request_parts.hpp"

namespace provision::api {

// Where the metadata service listens; tests point it at 127.0.0.1.
struct ImdsEndpoint {
  std::string host = "100.100.100.200";  // IPv4 literal
  std::uint16_t port = 80;
  std::chrono::milliseconds timeout{1000};  // for connecting, for sending, and for the answer
};

struct ImdsResponse {
  int status = 0;
  std::string body;
};

// Sends one request on a fresh connection (Connection: close) and reads the whole response,
// at most 64 KiB. Blocks the calling thread. Throws Error(kNetwork) naming host:port and what
// failed (refused, timed out, truncated, malformed); the message never contains the body.
ImdsResponse imds_request(const ImdsEndpoint& endpoint, std::string_view method, std::string_view path,
                          const NameValueList& headers = {});

}  // namespace provision::api
