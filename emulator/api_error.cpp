// Error bodies and the fixed wording of each code.
#include "emulator/api_error.hpp"

#include <boost/json.hpp>

#include "core/utf8.hpp"

namespace provision::emulator {

std::string error_body(const ApiError& error, const std::string& request_id, const std::string& host_id) {
  boost::json::object body;
  body["RequestId"] = request_id;
  // Messages may echo request bytes (version, method, path, Host): keep the body valid UTF-8.
  body["HostId"] = to_valid_utf8(host_id);
  body["Code"] = error.code;
  body["Message"] = to_valid_utf8(error.message);
  body["Recommend"] = "https://api.aliyun.com/troubleshoot?q=" + error.code +
                      "&product=emr-serverless-spark&requestId=" + request_id;
  return boost::json::serialize(body);
}

ApiError missing_parameter(const std::string& name) {
  return {
      400, "MissingParameter",
      "The input parameter \"" + name + "\" that is mandatory for processing this request is not supplied."};
}

ApiError invalid_parameter(const std::string& name, const std::string& why) {
  return {400, "InvalidParameter", "The parameter \"" + name + "\" is invalid: " + why + "."};
}

ApiError cluster_not_found(const std::string& cluster_id) {
  return {404, "NotFound", "The Ray cluster \"" + cluster_id + "\" does not exist."};
}

ApiError workspace_not_found(const std::string& workspace_id) {
  return {404, "NotFound", "The workspace \"" + workspace_id + "\" does not exist."};
}

ApiError operation_denied(const std::string& message) { return {409, "OperationDenied", message}; }

ApiError action_not_found(const std::string& method, const std::string& path) {
  return {404, "InvalidAction.NotFound",
          "Specified api is not found, please check your url and method: " + method + " " + path + "."};
}

ApiError throttling() { return {400, "Throttling", "Request was denied due to request throttling."}; }

ApiError internal_error() {
  return {500, "InternalError", "The request processing has failed due to some unknown error."};
}

ApiError service_unavailable() {
  return {503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server."};
}

}  // namespace provision::emulator
