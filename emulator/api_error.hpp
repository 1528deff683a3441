// The errors the emulator answers with, in Alibaba Cloud's gateway JSON shape
// {"RequestId","HostId","Code","Message","Recommend"} (api.md §2.1).
#pragma once

#include <string>

namespace provision::emulator {

// One rejected request: HTTP status, stable code and a message for the caller.
struct ApiError {
  int status = 400;
  std::string code;
  std::string message;
};

// The JSON error body; Recommend is the troubleshoot URL Alibaba's gateway returns.
std::string error_body(const ApiError& error, const std::string& request_id, const std::string& host_id);

// Constructors for the codes the emulator uses (doc/emulator.md lists them all).
ApiError missing_parameter(const std::string& name);                            // 400
ApiError invalid_parameter(const std::string& name, const std::string& why);    // 400
ApiError cluster_not_found(const std::string& cluster_id);                      // 404 NotFound
ApiError workspace_not_found(const std::string& workspace_id);                  // 404 NotFound
ApiError operation_denied(const std::string& message);                          // 409 OperationDenied
ApiError action_not_found(const std::string& method, const std::string& path);  // 404 InvalidAction.NotFound
ApiError throttling();                                                          // 400 Throttling
ApiError internal_error();                                                      // 500 InternalError
ApiError service_unavailable();                                                 // 503 ServiceUnavailable

}  // namespace provision::emulator
