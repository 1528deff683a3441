// Where API calls go: the regional host (public or VPC) or a --endpoint HOST[:PORT] override.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace provision::api {

enum class EndpointType { kPublic, kVpc };

// "public" or "vpc"; Error(kUsage) otherwise, its message starting with the quoted value (the
// caller names where the value came from).
EndpointType parse_endpoint_type(std::string_view value);

// The 15 regions of the EMR Serverless Spark endpoint table (api.md §4), in documented order.
const std::vector<std::string>& known_regions();

// nullopt for a known region; otherwise a message naming the region, with "did you mean" when
// one is close (the spec layer can turn it into a located diagnostic).
std::optional<std::string> region_problem(std::string_view region);

// Named apart from the transport's connection target so both can live in provision::api.
struct ServiceEndpoint {
  std::string host;  // what to resolve/connect to; IPv6 without brackets
  std::uint16_t port = 443;
  std::string host_header;  // Host header (and signed host): host, "[v6]" bracketed, ":port" only when != 443
  bool ip_literal = false;  // true for IPv4/IPv6 literals: no SNI, the certificate must carry an IP SAN
};

// emr-serverless-spark[-vpc].<region>.aliyuncs.com:443; Error(kInvalidSpec) for an unknown region.
ServiceEndpoint endpoint_for_region(std::string_view region, EndpointType type);

// Parses an endpoint override: "host", "host:port", "1.2.3.4:port", "[::1]:port" (port 1-65535,
// default 443). Error(kUsage) for a scheme, a path, an empty host, a bad name or a bad port,
// its message starting with the quoted value (the caller names the option or variable).
ServiceEndpoint parse_endpoint_override(std::string_view value);

// The override when given, else the regional endpoint.
ServiceEndpoint resolve_endpoint(std::string_view region, EndpointType type, std::string_view override_value);

}  // namespace provision::api
