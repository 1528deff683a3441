// API and transport failures as values: parse an error response, classify it
// (final / retryable / ambiguous) and describe it in one self-contained message.
#pragma once

#include <string>
#include <string_view>

#include "api/retry_policy.hpp"
#include "core/hint.hpp"

namespace provision::api {

// One failed operation, after the client's own retries.
struct ApiFailure {
  std::string operation;   // "CreateRayCluster"
  std::string host;        // "emr-serverless-spark.cn-hangzhou.aliyuncs.com" or "127.0.0.1:8443"
  int http_status = 0;     // 0 when no HTTP response was read
  std::string code;        // API code ("Throttling.User"); empty when none
  std::string request_id;  // from the body or x-acs-request-id; empty when none
  std::string detail;      // the API's Message, or the transport reason
  std::string message;     // full text naming operation, host, status, code and RequestId
  FailureKind kind = FailureKind::kFinal;
  bool throttled = false;  // code was Throttling*
  int attempts = 1;        // attempts made, first try included
  Hint hint = {};          // what the user can do (the transport's), rendered by the CLI
};

// The fields of an error body; both capitalisations are read (Code/code, ...).
struct ApiErrorBody {
  std::string code;
  std::string message;
  std::string request_id;
  std::string recommend;  // troubleshooting URL, when the gateway sends one
};

// Reads a JSON body (or the XML <Error> form); fields stay empty when absent or unreadable.
ApiErrorBody parse_error_body(std::string_view body, std::string_view content_type);

bool is_throttling_code(std::string_view code);

// 4xx -> final; Throttling* (any status), 429 and 503/ServiceUnavailable -> retryable.
// Other 5xx (InternalError included) -> retryable for idempotent calls, ambiguous
// otherwise: the server may have acted, so a create must be reconciled, not re-sent.
FailureKind classify_http(int http_status, std::string_view code, bool idempotent);

// The failure for a non-2xx response.
ApiFailure http_failure(std::string operation, std::string host, int http_status, const HeaderList& headers,
                        std::string_view body, bool idempotent);

// The failure when no (usable) HTTP response was read.
ApiFailure transport_failure(std::string operation, std::string host, FailureKind kind,
                             const std::string& reason, Hint hint = {});

// Rebuilds failure.message from the other fields (call after changing attempts).
void update_message(ApiFailure& failure);

}  // namespace provision::api
