// The seven Ray-cluster operations over a ClusterStore: pure logic, no I/O besides what the
// caller does with `committed` (persist).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>

#include "api/signing/http_request_parts.hpp"
#include "core/clock.hpp"
#include "emulator/api_error.hpp"
#include "emulator/cluster_store.hpp"
#include "emulator/request_router.hpp"

namespace provision::emulator {

struct OperationContext {
  ClusterStore& store;
  Random& random;                  // cluster ids, instance ids, submit tokens
  std::int64_t now_ms = 0;         // wall clock, Unix milliseconds
  std::int64_t transition_ms = 0;  // --start-delay: Starting/Stopping last this long (0 = at once)
};

struct OperationResult {
  std::optional<ApiError> error;
  boost::json::object body;  // success body without requestId
  bool committed = false;    // the store changed and must be persisted before answering
};

// Lifecycle rules: Create -> Starting -> Running; Stop (from Starting or Running) -> Stopping ->
// Stopped; Start only from Stopped (a repeated clientToken while Starting/Running is accepted
// as a no-op); Update in Running or Stopped, sets modified; Delete only when Stopped or Error.
// Anything else is OperationDenied (409).
OperationResult run_operation(const Route& route, const api::HttpRequestParts& request,
                              OperationContext& ctx);

}  // namespace provision::emulator
