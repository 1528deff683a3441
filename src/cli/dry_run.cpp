// Builds requests with the same api functions the real apply uses, so a dry run shows
// the bytes that would be sent (except redacted secrets and, for now, signed headers).
#include "cli/dry_run.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <ostream>

#include "api/request_body.hpp"

namespace provision::cli {

PlannedRequest plan_create_request(const spec::ClusterSpec& cluster) {
  PlannedRequest r;
  r.action = "CreateRayCluster";
  r.method = "POST";
  const std::string host = api::public_endpoint_host(cluster.region_id);
  r.url = "https://" + host + api::cluster_collection_path(cluster.workspace_id);
  r.headers = {{"host", host},
               {"content-type", "application/json; charset=utf-8"},
               {"accept", "application/json"},
               {"x-acs-action", r.action},
               {"x-acs-version", "2023-08-08"}};
  r.body = api::to_json_text(api::redact_secrets(boost::json::parse(api::create_body(cluster))));
  return r;
}

void print_dry_run(const std::vector<spec::ClusterSpec>& clusters, bool json, std::ostream& out) {
  for (std::size_t i = 0; i < clusters.size(); ++i) {
    const PlannedRequest r = plan_create_request(clusters[i]);
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
        << clusters.size() << (clusters.size() == 1 ? " request" : " requests")
        << " shown; dry run: nothing was sent\n";
}

}  // namespace provision::cli
