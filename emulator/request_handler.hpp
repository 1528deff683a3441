// The whole request pipeline of the emulator as pure code (no sockets): STS calls, route, authenticate,
// rate-limit, inject a fault, run the operation, persist, and build the HTTP answer. The
// server only moves bytes and carries out the returned disposition.
#pragma once

#include <chrono>
#include <string>

#include "api/signing/http_request_parts.hpp"
#include "core/clock.hpp"
#include "emulator/access_keys.hpp"
#include "emulator/cluster_store.hpp"
#include "emulator/fault_injector.hpp"
#include "emulator/nonce_cache.hpp"
#include "emulator/rate_limiter.hpp"
#include "emulator/sts_service.hpp"

namespace provision::emulator {

struct HandlerSettings {
  std::chrono::milliseconds start_delay{2000};  // length of Starting and Stopping
  int rate_limit = 0;                           // requests per second per access key; 0 = off
  FaultSettings faults;
  std::chrono::milliseconds slow_delay{30000};  // how late a "slow" fault answers
  std::chrono::seconds max_clock_skew{15 * 60};
  std::size_t nonce_capacity = 200'000;
  StsSettings sts;  // AssumeRole / AssumeRoleWithOIDC on "/" (max_clock_skew is copied from above)
};

// What the server does with the answer.
enum class Disposition {
  kRespond,          // send it
  kRespondLate,      // send it after `delay`
  kReset,            // close the connection without answering (nothing was done)
  kDropAfterCommit,  // close the connection without answering (the change was persisted)
};

struct HandlerResponse {
  int status = 200;
  api::NameValueList headers;  // besides content-type/length, which the server sets
  std::string body;            // JSON
  Disposition disposition = Disposition::kRespond;
  std::chrono::milliseconds delay{0};
  // For the access log:
  std::string request_id;
  std::string action;  // x-acs-action name of the route, "" when no route matched
  std::string code;    // error code, "" on success
  std::string fault;   // injected fault name, "" when none
};

class RequestHandler {
 public:
  // `store` must outlive the handler; `clock` and `random` too (random makes ids).
  RequestHandler(HandlerSettings settings, AccessKeyTable keys, ClusterStore& store, const Clock& clock,
                 Random& random);

  // `request.path` is the wire path without the query; `request.query` the decoded pairs.
  HandlerResponse handle(const api::HttpRequestParts& request);

 private:
  HandlerSettings settings_;
  AccessKeyTable keys_;
  ClusterStore& store_;
  const Clock& clock_;
  Random& random_;
  NonceCache nonces_;
  StsService sts_;
  RateLimiter limiter_;
  FaultInjector faults_;
};

}  // namespace provision::emulator
