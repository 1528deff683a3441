// Error texts of the transport. Only Beast's and Asio's error enums are included here, not
// the stream templates, so this file compiles in a fraction of the Beast TU's time.
#include "api/transport_errors.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

namespace provision::api {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;

std::string ms_text(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

// The verify callback's error if it saw one, else OpenSSL's verdict.
long chain_result(const VerifyOutcome& v, long verify_result) {
  return v.chain_error != X509_V_OK ? v.chain_error : verify_result;
}

bool outside_validity(long result) {
  return result == X509_V_ERR_CERT_HAS_EXPIRED || result == X509_V_ERR_CERT_NOT_YET_VALID;
}

bool status_line_error(const error_code& ec) {
  return ec == http::error::bad_version || ec == http::error::bad_status || ec == http::error::bad_reason;
}

}  // namespace

StepLimit step_limit(std::chrono::milliseconds step, std::chrono::steady_clock::time_point deadline,
                     std::chrono::steady_clock::time_point now) {
  if (now + step <= deadline) return {now + step, ms_text(step)};
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(std::max(deadline - now, {}));
  return {deadline, "the call deadline (" + ms_text(left) + " left)", hint_of(HintKind::kRequestTimeout)};
}

bool is_timeout(const error_code& ec) {
  return ec == beast::error::timeout || ec == net::error::operation_aborted;
}

TransportError transport_failure(TransportStage stage, std::string reason, const error_code& ec, bool arrived,
                                 bool unusable) {
  TransportError e;
  e.stage = stage;
  e.request_may_have_arrived = arrived;
  e.response_unusable = unusable;
  e.timed_out = is_timeout(ec);
  e.reason = std::move(reason);
  return e;
}

TransportError transport_failure(TransportStage stage, std::string reason, const error_code& ec,
                                 const StepLimit& limit, bool arrived, bool unusable) {
  TransportError e = transport_failure(stage, std::move(reason), ec, arrived, unusable);
  if (e.timed_out) e.hint = limit.hint;
  return e;
}

std::string describe(const error_code& ec, const StepLimit& limit) {
  if (is_timeout(ec)) return "timed out (limit: " + limit.text + ")";
  return ec.message();
}

bool not_tls(const error_code& ec) {
  return ec.category() == net::error::get_ssl_category() &&
         ERR_GET_REASON(ec.value()) == SSL_R_WRONG_VERSION_NUMBER;
}

std::string handshake_reason(const error_code& ec, const VerifyOutcome& v, long verify_result,
                             const std::string& host, const StepLimit& limit) {
  if (v.host_mismatch) {
    return "TLS handshake: the server certificate is valid but not issued for '" + host +
           "' (host name mismatch)";
  }
  const long result = chain_result(v, verify_result);
  // A trusted chain outside its validity: the CA is right, the certificate or a clock is not.
  if (outside_validity(result)) {
    return std::string("TLS handshake: the server certificate ") +
           (result == X509_V_ERR_CERT_HAS_EXPIRED ? "has expired" : "is not valid yet") +
           "; the server needs a current certificate, or this machine's clock is wrong";
  }
  if (result != X509_V_OK) {
    return std::string("TLS handshake: the server certificate is not trusted (") +
           X509_verify_cert_error_string(result) + ")";
  }
  if (not_tls(ec)) {
    return "TLS handshake: the server does not speak TLS (its answer is not a TLS record); is this a "
           "plain-HTTP port? provision connects over HTTPS only";
  }
  return "TLS handshake: " + describe(ec, limit);
}

Hint handshake_hint(const error_code& ec, const VerifyOutcome& v, long verify_result,
                    const StepLimit& limit) {
  if (v.host_mismatch) return {};
  const long result = chain_result(v, verify_result);
  if (outside_validity(result)) return {};
  if (result != X509_V_OK) return hint_of(HintKind::kTrustPrivateCa);
  return is_timeout(ec) ? limit.hint : Hint{};
}

std::string read_reason(const error_code& ec, const TransportOptions& o, const StepLimit& limit,
                        bool& unusable) {
  unusable = false;
  if (ec == http::error::body_limit) {
    unusable = true;
    return "read: the response body exceeds the limit of " + std::to_string(o.max_body_bytes) + " bytes";
  }
  if (ec == http::error::header_limit) {
    unusable = true;
    return "read: the response header exceeds the limit of " + std::to_string(o.max_header_bytes) + " bytes";
  }
  if (ec == beast::error::timeout) return "read: no complete response within " + limit.text;
  // Nothing at all came back: the peer closed (or reset) the connection instead of answering.
  if (ec == http::error::end_of_stream)
    return "read: the connection closed without a response (" + ec.message() + ")";
  if (ec == http::error::partial_message || ec == net::error::eof ||
      ec == net::ssl::error::stream_truncated || ec == net::error::connection_reset) {
    return "read: truncated response: the connection closed before the response was complete (" +
           ec.message() + ")";
  }
  if (ec.category() == http::make_error_code(http::error::bad_version).category()) {
    unusable = true;
    return std::string("read: malformed HTTP response (") +
           (status_line_error(ec) ? "malformed status line: " : "") + ec.message() + ")";
  }
  return "read: " + ec.message();
}

}  // namespace provision::api
