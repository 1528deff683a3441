// Builds requests with the same api functions the real apply uses (request builder,
// endpoint rules, signer), so a dry run shows the bytes that would be sent, with
// secrets and credentials masked.
#include "cli/dry_run.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <ostream>

#include "api/credential_plan.hpp"
#include "api/credentials_chain.hpp"
#include "api/https_client.hpp"
#include "api/ray_cluster_client.hpp"
#include "api/request_body.hpp"
#include "api/signing/acs3_signer.hpp"
#include "api/signing/redaction.hpp"
#include "cli/api_options.hpp"
#include "core/error.hpp"

namespace provision::cli {

DryRunTarget dry_run_target(const ApiOptions& options, const Clock& clock, Random& random) {
  const ApiClientSettings settings = api_client_settings(options);
  DryRunTarget target;
  target.endpoint_type = settings.endpoint_type;
  target.endpoint_override = settings.endpoint_override;
  try {
    // A role (OIDC, RamRoleArn) would need an STS call, and a dry run sends nothing: unsigned.
    const api::CredentialPlan plan = api::resolve_credential_plan(settings.profile, credential_sources());
    if (const auto* ecs = std::get_if<api::EcsRolePlan>(&plan.how)) {
      target.credentials = api::fetch_ecs_ram_role_credentials(ecs->imds);
      target.clock = &clock;
      target.random = &random;
    } else if (const auto* fixed = std::get_if<api::Credentials>(&plan.how)) {
      target.credentials = *fixed;
      target.clock = &clock;
      target.random = &random;
    }
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::kCredentials || options.profile) throw;
  }
  return target;
}

PlannedRequest plan_create_request(const spec::ClusterSpec& cluster, const DryRunTarget& target) {
  const api::ServiceEndpoint service =
      service_endpoint(cluster.region_id, target.endpoint_type, target.endpoint_override);
  const std::string authority = api::Endpoint{service.host, service.port}.authority();
  const std::string body = api::create_body(cluster);
  api::ApiCall call = api::create_ray_cluster_call(authority, cluster.workspace_id, body);
  if (target.credentials) api::sign_request(call.parts, *target.credentials, *target.clock, *target.random);

  PlannedRequest r;
  r.action = call.operation;
  r.method = call.parts.method;
  r.url = "https://" + authority + call.parts.path;
  r.body = api::to_json_text(api::redact_secrets(boost::json::parse(body)));
  r.headers = api::redacted_headers(call.parts.headers);
  // The body hash of a body that holds a secret would let one test guesses offline.
  if (r.body != body)
    for (auto& [name, value] : r.headers)
      if (name == "x-acs-content-sha256") value = "***";
  return r;
}

void print_dry_run(const std::vector<spec::ClusterSpec>& clusters, const DryRunTarget& target, bool json,
                   std::ostream& out) {
  for (std::size_t i = 0; i < clusters.size(); ++i) {
    const PlannedRequest r = plan_create_request(clusters[i], target);
    if (json) {
      boost::json::object o;
      o["action"] = r.action;
      o["method"] = r.method;
      o["url"] = r.url;
      boost::json::object headers;
      for (const auto& [name, value] : r.headers) headers[name] = value;
      o["headers"] = std::move(headers);
      o["body"] = boost::json::parse(r.body);
      out << api::to_json_text(o) << "\n";
      continue;
    }
    const auto& at = clusters[i].location;
    if (i > 0) out << "\n";
    out << "# " << r.action << " " << clusters[i].name << " (" << at.file << ":" << at.line << ")\n";
    out << r.method << " " << r.url << "\n";
    for (const auto& [name, value] : r.headers) out << name << ": " << value << "\n";
    out << "\n" << r.body << "\n";
  }
  if (!json)
    out << "\n"
        << clusters.size() << (clusters.size() == 1 ? " request" : " requests") << " shown; "
        << (target.credentials ? "signed (credentials from " + target.credentials->source + ", masked)"
                               : "no credentials found, so unsigned")
        << "; dry run: nothing was sent\n";
}

}  // namespace provision::cli
