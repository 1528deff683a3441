// The transport's error texts as data: each read error code gives one reason and one
// verdict on the response, and a step limit names the limit that applied.
#include "api/transport_errors.hpp"

#include <doctest/doctest.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

using namespace provision::api;
using namespace std::chrono_literals;
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

TEST_CASE("every read error has its own reason, and only a bad answer is unusable") {
  struct Case {
    boost::system::error_code ec;
    std::string reason;
    bool unusable;
  };
  const Case cases[] = {
      {http::error::body_limit, "read: the response body exceeds the limit of 100 bytes", true},
      {http::error::header_limit, "read: the response header exceeds the limit of 50 bytes", true},
      {beast::error::timeout, "read: no complete response within 300 ms", false},
      {http::error::end_of_stream, "read: the connection closed without a response (end of stream)", false},
      {http::error::partial_message,
       "read: truncated response: the connection closed before the response was complete (partial message)",
       false},
      {net::ssl::error::stream_truncated,
       "read: truncated response: the connection closed before the response was complete (stream truncated)",
       false},
      {http::error::bad_version, "read: malformed HTTP response (malformed status line: bad version)", true},
      {http::error::bad_status, "read: malformed HTTP response (malformed status line: bad status)", true},
      {http::error::bad_field, "read: malformed HTTP response (bad field)", true},
      {net::error::host_unreachable, "read: No route to host", false},
  };
  TransportOptions o;
  o.max_body_bytes = 100;
  o.max_header_bytes = 50;
  const StepLimit limit{std::chrono::steady_clock::now(), "300 ms"};
  for (const Case& c : cases) {
    CAPTURE(c.ec.message());
    bool unusable = !c.unusable;
    CHECK(read_reason(c.ec, o, limit, unusable) == c.reason);
    CHECK(unusable == c.unusable);
  }
}

TEST_CASE("a step limit is the step's own timeout or the call deadline, whichever comes first") {
  const auto now = std::chrono::steady_clock::now();
  const StepLimit own = step_limit(300ms, now + 10s, now);
  CHECK(own.expiry == now + 300ms);
  CHECK(own.text == "300 ms");
  CHECK(!own.hint);
  const StepLimit deadline = step_limit(600'000ms, now + 1500ms, now);
  CHECK(deadline.expiry == now + 1500ms);
  CHECK(deadline.text == "the call deadline (1500 ms left)");
  CHECK(deadline.hint.kind == provision::HintKind::kRequestTimeout);  // the CLI names the option
  CHECK(step_limit(300ms, now - 1s, now).text == "the call deadline (0 ms left)");
}

TEST_CASE("a step's failure carries its limit's hint only when the limit ended it") {
  const auto now = std::chrono::steady_clock::now();
  const StepLimit deadline = step_limit(600'000ms, now + 1500ms, now);
  const StepLimit own = step_limit(300ms, now + 10s, now);
  CHECK(transport_failure(TransportStage::kRead, "r", beast::error::timeout, deadline).hint.kind ==
        provision::HintKind::kRequestTimeout);
  CHECK(!transport_failure(TransportStage::kRead, "r", beast::error::timeout, own).hint);
  CHECK(!transport_failure(TransportStage::kConnect, "c", net::error::connection_refused, deadline).hint);
}

TEST_CASE("a handshake's hint: a private CA for an untrusted chain, nothing the CA cannot fix") {
  using provision::HintKind;
  const auto now = std::chrono::steady_clock::now();
  const StepLimit deadline = step_limit(600'000ms, now + 1500ms, now);
  struct Case {
    const char* what;
    VerifyOutcome verify;
    long verify_result;
    boost::system::error_code ec;
    HintKind hint;
  };
  const Case cases[] = {
      {"untrusted chain",
       {X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, false},
       X509_V_OK,
       {},
       HintKind::kTrustPrivateCa},
      {"untrusted, seen after",
       {X509_V_OK, false},
       X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
       {},
       HintKind::kTrustPrivateCa},
      {"expired", {X509_V_ERR_CERT_HAS_EXPIRED, false}, X509_V_OK, {}, HintKind::kNone},
      {"host mismatch", {X509_V_OK, true}, X509_V_OK, {}, HintKind::kNone},
      {"the call deadline ended it", {}, X509_V_OK, beast::error::timeout, HintKind::kRequestTimeout},
      {"refused", {}, X509_V_OK, net::error::connection_reset, HintKind::kNone},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    CHECK(handshake_hint(c.ec, c.verify, c.verify_result, deadline).kind == c.hint);
    CHECK(handshake_reason(c.ec, c.verify, c.verify_result, "h", deadline).find("--") == std::string::npos);
  }
}

TEST_CASE("a failure says whether a timeout ended it") {
  CHECK(transport_failure(TransportStage::kRead, "r", beast::error::timeout).timed_out);
  CHECK(transport_failure(TransportStage::kConnect, "c", net::error::operation_aborted).timed_out);
  CHECK_FALSE(transport_failure(TransportStage::kConnect, "c", net::error::connection_refused).timed_out);
  const TransportError e = transport_failure(TransportStage::kRead, "why", {}, true, true);
  CHECK(e.stage == TransportStage::kRead);
  CHECK(e.request_may_have_arrived);
  CHECK(e.response_unusable);
  CHECK(e.reason == "why");
}
