// Error bodies (both capitalisations, XML), classification and failure messages.
#include "api/api_error.hpp"

#include <doctest/doctest.h>

using namespace provision::api;

TEST_CASE("gateway error body with capitalised keys") {
  auto b = parse_error_body(
      R"({"RequestId":"8CE06D75","HostId":"h","Code":"InvalidAction.NotFound","Message":"Specified api is not found",)"
      R"("Recommend":"https://api.aliyun.com/troubleshoot?q=InvalidAction.NotFound"})",
      "application/json");
  CHECK(b.code == "InvalidAction.NotFound");
  CHECK(b.message == "Specified api is not found");
  CHECK(b.request_id == "8CE06D75");
  CHECK(b.recommend == "https://api.aliyun.com/troubleshoot?q=InvalidAction.NotFound");
}

TEST_CASE("service error body with lower-camel keys") {
  auto b = parse_error_body(R"({"requestId":"r-1","code":"InvalidParameter","message":"bad name"})", "");
  CHECK(b.code == "InvalidParameter");
  CHECK(b.message == "bad name");
  CHECK(b.request_id == "r-1");
}

TEST_CASE("XML error body") {
  auto b = parse_error_body(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><RequestId>X-1</RequestId><Code>Throttling</Code>"
      "<Message>Request was denied due to request throttling.</Message></Error>",
      "text/xml;charset=utf-8");
  CHECK(b.code == "Throttling");
  CHECK(b.request_id == "X-1");
  CHECK(b.message == "Request was denied due to request throttling.");
}

TEST_CASE("unreadable bodies leave fields empty") {
  for (const char* body : {"", "<html>Bad gateway</html>", "[1,2]", "{\"Code\":", "null"}) {
    auto b = parse_error_body(body, "text/html");
    CHECK(b.code.empty());
    CHECK(b.request_id.empty());
  }
}

TEST_CASE("classification") {
  CHECK(classify_http(400, "InvalidParameter", true) == FailureKind::kFinal);
  CHECK(classify_http(403, "Forbidden.RAM", false) == FailureKind::kFinal);
  CHECK(classify_http(404, "", true) == FailureKind::kFinal);
  // Throttling is keyed on the code whatever the status.
  CHECK(classify_http(400, "Throttling", false) == FailureKind::kRetryable);
  CHECK(classify_http(400, "Throttling.User", false) == FailureKind::kRetryable);
  CHECK(classify_http(429, "Throttling.Api", false) == FailureKind::kRetryable);
  CHECK(classify_http(429, "", false) == FailureKind::kRetryable);
  CHECK(classify_http(503, "ServiceUnavailable", false) == FailureKind::kRetryable);
  CHECK(classify_http(503, "", false) == FailureKind::kRetryable);
  // Other 5xx: the server may have acted; only reads repeat them blindly.
  CHECK(classify_http(500, "InternalError", true) == FailureKind::kRetryable);
  CHECK(classify_http(500, "InternalError", false) == FailureKind::kAmbiguous);
  CHECK(classify_http(502, "", true) == FailureKind::kRetryable);
  CHECK(classify_http(504, "", false) == FailureKind::kAmbiguous);
}

TEST_CASE("a failure message names operation, host, status, code and RequestId") {
  ApiFailure f =
      http_failure("GetRayCluster", "emr-serverless-spark.cn-hangzhou.aliyuncs.com", 404, {},
                   R"({"requestId":"RID-7","code":"NotFound","message":"cluster ray-x not found"})", true);
  CHECK(f.kind == FailureKind::kFinal);
  CHECK(f.http_status == 404);
  CHECK(f.code == "NotFound");
  CHECK(f.request_id == "RID-7");
  CHECK(
      f.message ==
      "GetRayCluster failed on host emr-serverless-spark.cn-hangzhou.aliyuncs.com (HTTP 404, code NotFound, "
      "RequestId RID-7): cluster ray-x not found");
}

TEST_CASE("RequestId falls back to the x-acs-request-id header") {
  ApiFailure f =
      http_failure("ListRayCluster", "h", 502, {{"X-Acs-Request-Id", "HDR-1"}}, "<html>bad</html>", true);
  CHECK(f.request_id == "HDR-1");
  CHECK(f.kind == FailureKind::kRetryable);
  CHECK(f.message.find("HTTP 502, code -, RequestId HDR-1") != std::string::npos);
  CHECK(f.message.find("unrecognised error body: <html>bad</html>") != std::string::npos);
}

TEST_CASE("throttling failures are marked and retryable") {
  ApiFailure f = http_failure(
      "CreateRayCluster", "h", 400, {},
      R"({"Code":"Throttling.User","Message":"Request was denied due to user flow control.","RequestId":"T1"})",
      false);
  CHECK(f.throttled);
  CHECK(f.kind == FailureKind::kRetryable);
}

TEST_CASE("transport failures say there was no HTTP response, ambiguity is spelt out") {
  ApiFailure f =
      transport_failure("CreateRayCluster", "127.0.0.1:8443", FailureKind::kAmbiguous, "read: timed out");
  CHECK(f.message ==
        "CreateRayCluster failed on host 127.0.0.1:8443 (no HTTP response, code -, RequestId -): read: timed "
        "out "
        "[the request may have reached the server; its effect is unknown]");
  f.attempts = 3;
  f.kind = FailureKind::kRetryable;
  update_message(f);
  CHECK(f.message ==
        "CreateRayCluster failed on host 127.0.0.1:8443 (no HTTP response, code -, RequestId -) after 3 "
        "attempts: "
        "read: timed out");
}

TEST_CASE("hostile server text is flattened and bounded") {
  std::string long_message(5000, 'x');
  ApiFailure f = http_failure(
      "GetRayCluster", "h", 400, {},
      R"({"Code":"Bad\u001b[31m","Message":")" + long_message + R"(","RequestId":"r\nx"})", true);
  CHECK(f.code == "Bad [31m");
  CHECK(f.request_id == "r x");
  CHECK(f.detail.size() < 1100);
  CHECK(f.message.find('\n') == std::string::npos);
}
