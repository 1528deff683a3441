// `provision status [PATH...]`: the managed clusters as they are now (one listing
// per workspace): name, clusterId, live state, dashboardUrl.
#include <boost/json.hpp>
#include <iomanip>
#include <ostream>
#include <set>

#include "cli/command.hpp"
#include "cli/run_support.hpp"
#include "cli/state_options.hpp"
#include "core/error.hpp"

namespace provision::cli {
namespace json = boost::json;
namespace {

struct Row {
  state::ClusterIdentity identity;
  std::string cluster_id;
  std::string state;  // live state, "not created", "missing", or "pending-create"
  std::string dashboard_url;
  bool managed = false;
};

std::vector<Row> rows_for(const std::vector<engine::DesiredCluster>& desired, const state::State& current,
                          const std::vector<std::string>& scope) {
  std::vector<Row> rows;
  std::set<state::ClusterIdentity> seen;
  for (const auto& [id, r] : current.clusters) {
    bool wanted = false;
    for (const auto& d : desired) wanted = wanted || d.identity == id;
    if (!wanted && !engine::in_scope(r.spec_file, scope)) continue;
    rows.push_back(
        {id, r.cluster_id, r.phase == state::Phase::kPendingCreate ? "pending-create" : "", "", true});
    seen.insert(id);
  }
  for (const auto& d : desired)
    if (!seen.count(d.identity)) rows.push_back({d.identity, "", "not created", "", false});
  return rows;
}

void fill_live(std::vector<Row>& rows, const engine::LiveClusters& live) {
  for (auto& row : rows) {
    if (!row.managed || row.cluster_id.empty()) continue;
    auto it = live.find({row.identity.region_id, row.identity.workspace_id});
    if (it == live.end()) continue;
    const engine::LiveCluster* c = engine::find_live(it->second, row.cluster_id);
    row.state = c ? c->state : "missing";
    if (c) row.dashboard_url = c->dashboard_url;
  }
}

int status(const StatusOptions& o, Context& ctx) {
  SystemClock clock;
  OsRandom random;
  std::vector<engine::DesiredCluster> desired;
  if (!o.paths.empty()) desired = load_desired(o.paths, ctx);
  auto store = open_store(o.state, ctx);
  const state::State current = store->load(random);
  std::vector<Row> rows = rows_for(desired, current, o.paths);
  std::set<engine::WorkspaceKey> keys;
  for (const auto& row : rows)
    if (row.managed && !row.cluster_id.empty())
      keys.insert({row.identity.region_id, row.identity.workspace_id});
  LazySession session(o.api, clock, random);
  fill_live(rows, session.list({keys.begin(), keys.end()}));
  std::size_t running = 0;
  for (const auto& row : rows) running += row.state == "Running" ? 1 : 0;
  if (ctx.format == OutputFormat::kJson) {
    for (const auto& row : rows)
      ctx.out << json::serialize(json::object{{"type", "cluster"},
                                              {"name", row.identity.name},
                                              {"workspaceId", row.identity.workspace_id},
                                              {"regionId", row.identity.region_id},
                                              {"clusterId", row.cluster_id},
                                              {"state", row.state},
                                              {"dashboardUrl", row.dashboard_url},
                                              {"managed", row.managed}})
              << "\n";
    ctx.out << json::serialize(
                   json::object{{"type", "summary"}, {"clusters", rows.size()}, {"running", running}})
            << "\n";
    return 0;
  }
  if (rows.empty()) {
    ctx.out << "No clusters in " << state::describe(store->identity()) << ".\n";
    return 0;
  }
  ctx.out << std::left << std::setw(22) << "NAME" << std::setw(24) << "CLUSTER ID" << std::setw(16) << "STATE"
          << "DASHBOARD\n";
  for (const auto& row : rows)
    ctx.out << std::setw(22) << row.identity.name << std::setw(24)
            << (row.cluster_id.empty() ? "-" : row.cluster_id) << std::setw(16)
            << (row.state.empty() ? "?" : row.state) << (row.dashboard_url.empty() ? "-" : row.dashboard_url)
            << "\n";
  ctx.out << "\n"
          << rows.size() << (rows.size() == 1 ? " cluster, " : " clusters, ") << running << " running.\n";
  return 0;
}

}  // namespace

Command make_status_command() {
  return {"status", "show the managed clusters: name, clusterId, live state, dashboard URL",
          "provision status [options] [PATH...]",
          "Without PATH: every cluster in the state. With PATH: the clusters of those specs\n"
          "(managed or not yet created). Each workspace is listed once (ListRayCluster, all\n"
          "pages); no per-cluster requests. The state is not locked.",
          state_and_api_options()};
}

int run(const StatusOptions& options, Context& context) { return status(options, context); }

}  // namespace provision::cli
