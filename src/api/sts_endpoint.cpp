// STS host names: pure string rules plus the shared HOST[:PORT] parser.
#include "api/sts_endpoint.hpp"

#include "core/error.hpp"

namespace provision::api {

std::string sts_host(const StsLocation& location) {
  if (location.region.empty()) return "sts.aliyuncs.com";
  return std::string(location.vpc ? "sts-vpc." : "sts.") + location.region + ".aliyuncs.com";
}

ServiceEndpoint sts_endpoint(const StsLocation& location, std::string_view override_value,
                             std::string_view override_origin) {
  if (!override_value.empty()) {
    try {
      return parse_endpoint_override(override_value);
    } catch (const Error& e) {
      // The shared parser names the value; say where it came from.
      throw Error(ErrorKind::kUsage, std::string(override_origin) + " " + e.what());
    }
  }
  ServiceEndpoint e;
  e.host = sts_host(location);
  e.host_header = e.host;
  return e;
}

}  // namespace provision::api
