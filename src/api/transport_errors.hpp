// What the HTTP transport says when a step fails: the limit that applied, and a reason per
// error code that names the cause (trust, host name, timeout, truncation, caps). Pure
// functions of the error, apart from the Beast TU's I/O, so they are tested with data.
#pragma once

#include <boost/system/error_code.hpp>
#include <chrono>
#include <string>

#include "api/https_client.hpp"
#include "core/hint.hpp"

namespace provision::api {

// When a step must end: the earlier of now + its own timeout and the call deadline, and
// which of the two it is, so a timeout names the limit that really applied.
struct StepLimit {
  std::chrono::steady_clock::time_point expiry;
  std::string text;  // "60000 ms", or "the call deadline (1500 ms left)"
  Hint hint = {};    // the call deadline's: the CLI names the option that sets it
};

StepLimit step_limit(std::chrono::milliseconds step, std::chrono::steady_clock::time_point deadline,
                     std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

// A TransportError of `stage` with `reason`; timed_out when `ec` is a timeout.
TransportError transport_failure(TransportStage stage, std::string reason,
                                 const boost::system::error_code& ec, bool arrived = false,
                                 bool unusable = false);

// The same for a step that ran under `limit`: a timeout carries the limit's hint.
TransportError transport_failure(TransportStage stage, std::string reason,
                                 const boost::system::error_code& ec, const StepLimit& limit,
                                 bool arrived = false, bool unusable = false);

// True for the codes a step limit ends an operation with.
bool is_timeout(const boost::system::error_code& ec);

// "timed out (limit: 300 ms)", or the code's message.
std::string describe(const boost::system::error_code& ec, const StepLimit& limit);

// The first bytes back were not a TLS record: typically a plain HTTP answer.
bool not_tls(const boost::system::error_code& ec);

// What the verify callback saw, to tell "untrusted chain" from "wrong host name".
struct VerifyOutcome {
  long chain_error = 0;  // X509_V_OK
  bool host_mismatch = false;
};

// Why a TLS handshake with `host` failed; `verify_result` is SSL_get_verify_result.
std::string handshake_reason(const boost::system::error_code& ec, const VerifyOutcome& v, long verify_result,
                             const std::string& host, const StepLimit& limit);

// The advice that goes with handshake_reason: trusting a private CA when the chain is not
// trusted, the call deadline's hint when it ended the handshake.
Hint handshake_hint(const boost::system::error_code& ec, const VerifyOutcome& v, long verify_result,
                    const StepLimit& limit);

// Why reading a response failed; `unusable` is set when the server answered but the answer is
// too large or malformed.
std::string read_reason(const boost::system::error_code& ec, const TransportOptions& o,
                        const StepLimit& limit, bool& unusable);

}  // namespace provision::api
