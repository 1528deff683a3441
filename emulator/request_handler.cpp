// STS calls are answered first (sts_service.hpp). Order of checks: route -> signature -> action/version
// headers -> rate limit -> fault -> operation -> persist. Faults apply only to authenticated, routed requests
// of any of the seven operations, so a fault never hides an authentication error.
#include "emulator/request_handler.hpp"

#include <boost/json.hpp>
#include <iostream>

#include "emulator/api_error.hpp"
#include "emulator/cluster_operations.hpp"
#include "emulator/ids.hpp"
#include "emulator/request_authenticator.hpp"
#include "emulator/request_router.hpp"

namespace provision::emulator {
namespace {

constexpr std::string_view kApiVersion = "2023-08-08";

std::int64_t epoch_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

void set_error(HandlerResponse& r, const ApiError& error, const std::string& host) {
  r.status = error.status;
  r.code = error.code;
  r.body = error_body(error, r.request_id, host.empty() ? "emr-serverless-spark.emulator" : host);
}

StsSettings with_skew(StsSettings sts, std::chrono::seconds skew) {
  sts.max_clock_skew = skew;
  return sts;
}

}  // namespace

RequestHandler::RequestHandler(HandlerSettings settings, AccessKeyTable keys, ClusterStore& store,
                               const Clock& clock, Random& random)
    : settings_(std::move(settings)),
      keys_(std::move(keys)),
      store_(store),
      clock_(clock),
      random_(random),
      nonces_(std::chrono::duration_cast<std::chrono::milliseconds>(settings_.max_clock_skew) * 2,
              settings_.nonce_capacity),
      sts_(with_skew(settings_.sts, settings_.max_clock_skew), keys_, nonces_, random),
      limiter_(settings_.rate_limit),
      faults_(settings_.faults) {}

HandlerResponse RequestHandler::handle(const api::HttpRequestParts& request) {
  HandlerResponse r;
  r.request_id = make_request_id(random_);
  r.headers.emplace_back("x-acs-request-id", r.request_id);
  const std::string host(api::find_header(request.headers, "host").value_or(request.host));
  const auto now = clock_.now();
  auto fail = [&](const ApiError& error) {
    set_error(r, error, host);
    return r;
  };

  // STS (RPC style on "/"): no rate limit and no injected faults, so role tests stay exact.
  if (is_sts_request(request)) {
    StsAnswer answer = sts_.handle(request, r.request_id, now);
    r.action = answer.action;
    if (answer.error) {
      set_error(r, *answer.error, "sts.aliyuncs.com");
      return r;
    }
    r.body = std::move(answer.body);
    return r;
  }

  const auto route = route_request(request.method, request.path);
  if (!route) return fail(action_not_found(request.method, request.path));
  r.action = operation_name(route->operation);

  const Authentication auth = authenticate(request, keys_, nonces_, now, settings_.max_clock_skew);
  if (auth.error) return fail(*auth.error);
  const auto action = api::find_header(request.headers, "x-acs-action");
  if (!action) return fail(missing_parameter("x-acs-action"));
  if (*action != r.action) return fail(action_not_found(request.method, request.path));
  const auto version = api::find_header(request.headers, "x-acs-version");
  if (!version) return fail(missing_parameter("x-acs-version"));
  if (*version != kApiVersion)
    return fail(
        {400, "NoSuchVersion", "Specified api version \"" + std::string(*version) + "\" is not valid."});

  if (limiter_.enabled()) {
    const RateDecision decision = limiter_.admit(auth.access_key_id, now);
    r.headers.emplace_back("x-ratelimit-user-api", decision.header_value());
    if (!decision.allowed) return fail(throttling());
  }

  const FaultKind fault = faults_.draw();
  r.fault = fault_name(fault);
  switch (fault) {
    case FaultKind::kInternalError:
      return fail(internal_error());
    case FaultKind::kUnavailable:
      return fail(service_unavailable());
    case FaultKind::kThrottle:
      r.headers.emplace_back("x-ratelimit-user-api", limiter_.exhausted(now).header_value());
      return fail(throttling());
    case FaultKind::kReset:
      r.disposition = Disposition::kReset;
      return r;
    case FaultKind::kDropAfterCommit:
      r.disposition = Disposition::kDropAfterCommit;
      break;
    case FaultKind::kSlow:
      r.disposition = Disposition::kRespondLate;
      r.delay = settings_.slow_delay;
      break;
    case FaultKind::kNone:
      break;
  }

  OperationContext ctx{store_, random_, epoch_ms(now), settings_.start_delay.count()};
  OperationResult result = run_operation(*route, request, ctx);
  if (result.error) return fail(*result.error);
  if (result.committed) {
    try {
      store_.commit();
    } catch (const std::exception& e) {
      std::cerr << "provision-emulator: error: " << e.what() << std::endl;
      r.disposition = Disposition::kRespond;
      return fail(internal_error());
    }
  }
  result.body["requestId"] = r.request_id;
  r.body = boost::json::serialize(result.body);
  return r;
}

}  // namespace provision::emulator
