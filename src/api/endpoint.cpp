// ServiceEndpoint rules of the official SDK (api.md §4): regional host names and an explicit override.
#include "api/endpoint.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

#include "core/error.hpp"
#include "core/spelling.hpp"

namespace provision::api {
namespace {

constexpr std::string_view kProduct = "emr-serverless-spark";

[[noreturn]] void bad_endpoint(std::string_view value, const std::string& why) {
  throw Error(ErrorKind::kUsage, "'" + std::string(value) + "': " + why +
                                     " (expected HOST[:PORT], e.g. 127.0.0.1:8443 or [::1]:8443)");
}

bool is_ipv4(const std::string& s) {
  in_addr addr{};
  return ::inet_pton(AF_INET, s.c_str(), &addr) == 1;
}

bool is_ipv6(const std::string& s) {
  in6_addr addr{};
  return ::inet_pton(AF_INET6, s.c_str(), &addr) == 1;
}

// Letters, digits and hyphens in non-empty labels of at most 63 bytes; 253 bytes in all.
bool is_dns_name(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  std::size_t label = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '.') {
      if (label == 0 || s[i - 1] == '-') return false;
      label = 0;
      continue;
    }
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || (label == 0 && c == '-') || ++label > 63) return false;
  }
  return label != 0 && s.back() != '-';
}

// A name whose last label is all digits can only be a (malformed) IPv4 address (RFC 3696 §2).
bool looks_numeric(std::string_view s) {
  const auto dot = s.rfind('.');
  const std::string_view last = dot == std::string_view::npos ? s : s.substr(dot + 1);
  return !last.empty() && std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::uint16_t parse_port(std::string_view value, std::string_view text) {
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || port == 0 || port > 65535) {
    bad_endpoint(value, "the port must be a number from 1 to 65535, got '" + std::string(text) + "'");
  }
  return static_cast<std::uint16_t>(port);
}

std::string host_header(const ServiceEndpoint& e, bool bracket) {
  std::string out = bracket ? "[" + e.host + "]" : e.host;
  if (e.port != 443) out += ":" + std::to_string(e.port);
  return out;
}

}  // namespace

EndpointType parse_endpoint_type(std::string_view value) {
  if (value == "public") return EndpointType::kPublic;
  if (value == "vpc") return EndpointType::kVpc;
  throw Error(ErrorKind::kUsage,
              "'" + std::string(value) + "' is not supported (expected 'public' or 'vpc')");
}

const std::vector<std::string>& known_regions() {
  static const std::vector<std::string> kRegions = {
      "cn-beijing",     "cn-zhangjiakou", "cn-wulanchabu", "cn-hangzhou",    "cn-shanghai",
      "cn-shenzhen",    "cn-chengdu",     "cn-hongkong",   "ap-northeast-1", "ap-southeast-1",
      "ap-southeast-5", "eu-central-1",   "us-east-1",     "us-west-1",      "na-south-1"};
  return kRegions;
}

std::optional<std::string> region_problem(std::string_view region) {
  const auto& regions = known_regions();
  if (std::find(regions.begin(), regions.end(), region) != regions.end()) return std::nullopt;
  std::string message = "region '" + std::string(region) + "' has no EMR Serverless Spark endpoint";
  const std::string suggestion = closest_match(region, regions);
  if (!suggestion.empty()) message += "; did you mean '" + suggestion + "'?";
  return message;
}

ServiceEndpoint endpoint_for_region(std::string_view region, EndpointType type) {
  if (const auto problem = region_problem(region)) throw Error(ErrorKind::kInvalidSpec, *problem);
  ServiceEndpoint e;
  e.host = std::string(kProduct) + (type == EndpointType::kVpc ? "-vpc." : ".") + std::string(region) +
           ".aliyuncs.com";
  e.host_header = e.host;
  return e;
}

ServiceEndpoint parse_endpoint_override(std::string_view value) {
  if (value.find("://") != std::string_view::npos) bad_endpoint(value, "give the host without a scheme");
  if (value.find_first_of("/?#@ ") != std::string_view::npos) {
    bad_endpoint(value, "only a host and a port are allowed");
  }
  ServiceEndpoint e;
  std::string_view port_text;
  bool has_port = false;
  if (value.starts_with('[')) {
    const auto close = value.find(']');
    if (close == std::string_view::npos) bad_endpoint(value, "missing ']' after the IPv6 address");
    e.host = std::string(value.substr(1, close - 1));
    if (!is_ipv6(e.host)) bad_endpoint(value, "'" + e.host + "' is not an IPv6 address");
    const std::string_view rest = value.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') bad_endpoint(value, "expected ':PORT' after ']'");
      port_text = rest.substr(1);
      has_port = true;
    }
    e.ip_literal = true;
  } else {
    const auto colon = value.find(':');
    if (colon != std::string_view::npos && value.find(':', colon + 1) != std::string_view::npos) {
      bad_endpoint(value, "write an IPv6 address in brackets");
    }
    e.host = std::string(value.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = value.substr(colon + 1);
      has_port = true;
    }
    if (e.host.empty()) bad_endpoint(value, "the host is empty");
    e.ip_literal = is_ipv4(e.host);
    if (!e.ip_literal && looks_numeric(e.host)) {
      bad_endpoint(value, "'" + e.host + "' is not a valid IPv4 address");
    }
    if (!e.ip_literal && !is_dns_name(e.host)) {
      bad_endpoint(value, "'" + e.host + "' is not a valid host name");
    }
  }
  if (has_port) e.port = parse_port(value, port_text);
  e.host_header = host_header(e, value.starts_with('['));
  return e;
}

ServiceEndpoint resolve_endpoint(std::string_view region, EndpointType type,
                                 std::string_view override_value) {
  if (!override_value.empty()) return parse_endpoint_override(override_value);
  return endpoint_for_region(region, type);
}

}  // namespace provision::api
