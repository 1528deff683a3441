// Shared API options -> transport and client settings.
#include "cli/api_options.hpp"

#include <chrono>
#include <cmath>
#include <filesystem>

#include "api/sts_endpoint.hpp"
#include "core/error.hpp"

namespace provision::cli {

std::vector<OptionSpec> api_options() {
  return {
      {"--endpoint", "HOST[:PORT]",
       "send requests here instead of the regional endpoint (e.g. the emulator)"},
      {"--endpoint-type", "TYPE", "public (default) or vpc regional endpoints"},
      {"--sts-endpoint", "HOST[:PORT]",
       "STS for role credentials (OIDC, RamRoleArn) instead of sts[.region].aliyuncs.com; "
       "also ALIBABA_CLOUD_STS_ENDPOINT"},
      {"--ca-file", "FILE", "also trust the CA certificates in this PEM file"},
      {"--profile", "NAME", "aliyun CLI profile for credentials (~/.aliyun/config.json)"},
      {"--request-timeout", "SECONDS", "limit for one API call, retries included (default 120)"},
      {"--max-attempts", "N", "attempts per API call when retrying is safe (default 4)"},
  };
}

ApiClientSettings api_client_settings(const ParsedArgs& args) {
  ApiClientSettings s;
  s.endpoint_type = api::parse_endpoint_type(args.get("--endpoint-type", "public"));
  s.endpoint_override = args.get("--endpoint");
  if (args.has("--endpoint")) api::parse_endpoint_override(s.endpoint_override);
  s.sts_endpoint_override = args.get("--sts-endpoint");
  if (args.has("--sts-endpoint")) api::sts_endpoint({}, s.sts_endpoint_override, "--sts-endpoint");
  s.profile = args.get("--profile");

  s.transport.ca_file = args.get("--ca-file");
  if (args.has("--ca-file")) {
    std::error_code ec;
    if (s.transport.ca_file.empty() || !std::filesystem::is_regular_file(s.transport.ca_file, ec)) {
      throw Error(ErrorKind::kUsage, "--ca-file '" + s.transport.ca_file + "': no such file");
    }
  }

  double seconds = args.get_seconds("--request-timeout", 120);
  if (seconds < 1 || seconds > 24 * 3600) {
    throw Error(ErrorKind::kUsage,
                "--request-timeout expects 1s to 24h, got '" + args.get("--request-timeout") + "'");
  }
  s.client.call_timeout = std::chrono::milliseconds(std::llround(seconds * 1000));
  s.client.retry.max_attempts = static_cast<int>(args.get_int("--max-attempts", 4, 1, 20));
  return s;
}

}  // namespace provision::cli
