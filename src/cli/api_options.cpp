// Shared API options -> transport and client settings.
#include "cli/api_options.hpp"

#include <algorithm>
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

namespace {

// Runs an api-layer check whose usage error starts with the value, naming the option first.
template <class F>
auto named(const char* option, F&& check) {
  try {
    return check();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::kUsage) throw;
    throw Error(ErrorKind::kUsage, std::string(option) + " " + e.what());
  }
}

}  // namespace

api::ServiceEndpoint service_endpoint(const std::string& region_id, api::EndpointType type,
                                      const std::string& endpoint_override) {
  try {
    return api::resolve_endpoint(region_id, type, endpoint_override);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::kInvalidSpec) throw;
    throw Error(ErrorKind::kInvalidSpec,
                std::string(e.what()) + " (use --endpoint HOST[:PORT] for any other host)");
  }
}

api::CredentialSources credential_sources() {
  api::CredentialSources sources = api::process_credential_sources();
  sources.explicit_profile_origin = "--profile";
  return sources;
}

ApiClientSettings api_client_settings(const ApiOptions& o) {
  ApiClientSettings s;
  s.endpoint_type =
      named("--endpoint-type", [&] { return api::parse_endpoint_type(o.endpoint_type.value_or("public")); });
  s.endpoint_override = o.endpoint.value_or("");
  if (o.endpoint) named("--endpoint", [&] { return api::parse_endpoint_override(s.endpoint_override); });
  s.sts_endpoint_override = o.sts_endpoint.value_or("");
  if (o.sts_endpoint) api::sts_endpoint({}, s.sts_endpoint_override, "--sts-endpoint");
  s.profile = o.profile.value_or("");

  s.transport.ca_file = o.ca_file.value_or("");
  if (o.ca_file) {
    std::error_code ec;
    if (s.transport.ca_file.empty() || !std::filesystem::is_regular_file(s.transport.ca_file, ec)) {
      throw Error(ErrorKind::kUsage, "--ca-file '" + s.transport.ca_file + "': no such file");
    }
  }

  s.client.call_timeout = o.request_timeout;
  s.client.retry.max_attempts = o.max_attempts;
  // One keep-alive connection per cluster worked on at once, so the pool never caps
  // --parallelism (apply and destroy; other commands keep the transport's default).
  if (o.parallelism)
    s.transport.max_connections_per_host = std::max(s.transport.max_connections_per_host, *o.parallelism);
  return s;
}

}  // namespace provision::cli
