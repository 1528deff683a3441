// `provision state list | show NAME | rm NAME | import NAME CLUSTER_ID`: read and
// repair the state by hand, like Terraform's state subcommands.
#include <boost/json.hpp>
#include <iomanip>
#include <ostream>

#include "cli/command.hpp"
#include "cli/diagnostic_printer.hpp"
#include "cli/run_support.hpp"
#include "cli/state_migrate.hpp"
#include "cli/state_options.hpp"
#include "core/error.hpp"
#include "spec/spec_loader.hpp"

namespace provision::cli {
namespace json = boost::json;
using state::ClusterRecord;
using state::State;

namespace {

json::object record_json(const ClusterRecord& r) {
  return {{"name", r.identity.name},
          {"workspaceId", r.identity.workspace_id},
          {"regionId", r.identity.region_id},
          {"clusterId", r.cluster_id},
          {"phase", state::phase_name(r.phase)},
          {"specFile", r.spec_file},
          {"bodySha256", r.body_sha256},
          {"createdAt", r.created_at},
          {"updatedAt", r.updated_at}};
}

bool matches(const ClusterRecord& r, const std::string& name, const StateCommandOptions& o) {
  return r.identity.name == name && (!o.workspace_id || r.identity.workspace_id == *o.workspace_id) &&
         (!o.region_id || r.identity.region_id == *o.region_id);
}

// The one record called `name` (narrowed by --workspace-id/--region-id).
const ClusterRecord& find_one(const State& s, const std::string& name, const StateCommandOptions& o,
                              const std::string& where) {
  std::vector<const ClusterRecord*> found;
  for (const auto& [id, r] : s.clusters)
    if (matches(r, name, o)) found.push_back(&r);
  if (found.empty()) throw Error(ErrorKind::kUsage, "no cluster named '" + name + "' in " + where);
  if (found.size() > 1) {
    std::string list;
    for (const auto* r : found) list += "\n  " + state::describe(r->identity);
    throw Error(ErrorKind::kUsage, "several clusters named '" + name +
                                       "' in the state; choose one with --workspace-id "
                                       "and --region-id:" +
                                       list);
  }
  return *found.front();
}

void expect_arguments(const StateCommandOptions& o, std::size_t n, const std::string& usage) {
  if (o.words.size() != n) throw Error(ErrorKind::kUsage, "usage: " + usage);
}

int list(const StateCommandOptions& o, Context& ctx) {
  expect_arguments(o, 1, "provision state list");
  SystemClock clock;
  OsRandom random;
  auto store = open_store(o.state, ctx);
  const State s = store->load(random);
  if (ctx.format == OutputFormat::kJson) {
    for (const auto& [id, r] : s.clusters) ctx.out << json::serialize(record_json(r)) << "\n";
    return 0;
  }
  if (s.clusters.empty()) {
    ctx.out << "No clusters in " << state::describe(store->identity()) << ".\n";
    return 0;
  }
  ctx.out << std::left << std::setw(24) << "NAME" << std::setw(18) << "WORKSPACE" << std::setw(16) << "REGION"
          << std::setw(24) << "CLUSTER ID" << std::setw(16) << "PHASE"
          << "SPEC\n";
  for (const auto& [id, r] : s.clusters)
    ctx.out << std::setw(24) << id.name << std::setw(18) << id.workspace_id << std::setw(16) << id.region_id
            << std::setw(24) << (r.cluster_id.empty() ? "-" : r.cluster_id) << std::setw(16)
            << state::phase_name(r.phase) << r.spec_file << "\n";
  return 0;
}

int show(const StateCommandOptions& o, Context& ctx) {
  expect_arguments(o, 2, "provision state show NAME");
  OsRandom random;
  auto store = open_store(o.state, ctx);
  const State s = store->load(random);
  const ClusterRecord& r = find_one(s, o.words[1], o, state::describe(store->identity()));
  if (ctx.format == OutputFormat::kJson) {
    json::object doc = record_json(r);
    doc["appliedBody"] = r.applied_body;
    ctx.out << json::serialize(doc) << "\n";
    return 0;
  }
  for (const auto& member : record_json(r)) {
    std::string key(member.key());
    key.resize(12, ' ');
    const auto& v = member.value();
    ctx.out << key << " " << (v.is_string() ? std::string(v.get_string()) : json::serialize(v)) << "\n";
  }
  ctx.out << "appliedBody  " << json::serialize(r.applied_body) << "\n";
  return 0;
}

int remove(const StateCommandOptions& o, Context& ctx) {
  expect_arguments(o, 2, "provision state rm NAME");
  SystemClock clock;
  OsRandom random;
  auto store = open_store(o.state, ctx);
  auto lock = lock_store(*store, o.state, "provision state rm", clock);
  State s = store->load(random);
  const ClusterRecord r = find_one(s, o.words[1], o, state::describe(store->identity()));
  store->commit(s, {{r.identity, nullptr}});
  if (ctx.format == OutputFormat::kJson) {
    json::object doc{{"type", "removed"}, {"cluster", record_json(r)}};
    ctx.out << json::serialize(doc) << "\n";
  } else {
    ctx.out << "Removed " << state::describe(r.identity)
            << (r.cluster_id.empty() ? "" : " [" + r.cluster_id + "]")
            << " from the state. The cluster itself was not touched.\n";
  }
  return 0;
}

// The identity (and spec file) for `state import NAME ID [PATH...]`: from the spec
// named NAME in PATH, or from --workspace-id and --region-id.
ClusterRecord import_identity(const StateCommandOptions& o, Context& ctx) {
  const auto& p = o.words;
  ClusterRecord r;
  r.identity.name = p[1];
  r.cluster_id = p[2];
  if (p.size() > 3) {
    spec::LoadOptions options;
    options.stdin_stream = &ctx.in;
    const spec::SpecSet set = spec::load_specs({p.begin() + 3, p.end()}, options);
    print_diagnostics(set.diagnostics, ctx.format == OutputFormat::kJson, ctx.color, ctx.err, ctx.out);
    if (has_errors(set.diagnostics))
      throw Error(ErrorKind::kInvalidSpec, "the specs given to state import have errors");
    std::vector<const spec::ClusterSpec*> named;
    for (const auto& c : set.clusters)
      if (c.name == r.identity.name && (!o.workspace_id || c.workspace_id == *o.workspace_id))
        named.push_back(&c);
    if (named.size() != 1)
      throw Error(ErrorKind::kUsage, std::to_string(named.size()) + " specs named '" + r.identity.name +
                                         "' in the PATHs given; state import needs exactly one");
    r.identity.region_id = named.front()->region_id;
    r.identity.workspace_id = named.front()->workspace_id;
    r.spec_file = named.front()->location.file;
    return r;
  }
  if (!o.workspace_id || !o.region_id)
    throw Error(ErrorKind::kUsage, "state import needs the spec (PATH...) or --workspace-id and --region-id");
  r.identity.region_id = *o.region_id;
  r.identity.workspace_id = *o.workspace_id;
  r.spec_file = o.spec_file.value_or("");
  return r;
}

// The cluster must exist and carry the name it is imported under.
void verify_exists(const ApiOptions& api, const ClusterRecord& r, const Clock& clock, Random& random) {
  LazySession session(api, clock, random);
  const auto live = session.list({{r.identity.region_id, r.identity.workspace_id}});
  const auto& clusters = live.begin()->second;
  const engine::LiveCluster* found = engine::find_live(clusters, r.cluster_id);
  if (!found)
    throw Error(ErrorKind::kUsage, "cluster " + r.cluster_id + " does not exist in workspace " +
                                       r.identity.workspace_id + " (region " + r.identity.region_id + ")");
  if (found->name != r.identity.name)
    throw Error(ErrorKind::kUsage,
                "cluster " + r.cluster_id + " is named '" + found->name + "', not '" + r.identity.name + "'");
}

int import(const StateCommandOptions& o, Context& ctx) {
  if (o.words.size() < 3)
    throw Error(ErrorKind::kUsage, "usage: provision state import NAME CLUSTER_ID [PATH...]");
  SystemClock clock;
  OsRandom random;
  ClusterRecord r = import_identity(o, ctx);
  r.phase = state::Phase::kCreated;
  r.created_at = r.updated_at = format_iso8601_utc(clock.now());
  auto store = open_store(o.state, ctx);
  auto lock = lock_store(*store, o.state, "provision state import", clock);
  State s = store->load(random);
  if (auto it = s.clusters.find(r.identity); it != s.clusters.end())
    throw Error(ErrorKind::kUsage,
                state::describe(r.identity) + " is already in the state as " +
                    (it->second.cluster_id.empty() ? "pending-create" : it->second.cluster_id) +
                    "; remove it first with 'provision state rm " + r.identity.name + "'");
  for (const auto& [id, other] : s.clusters)
    if (other.cluster_id == r.cluster_id)
      throw Error(ErrorKind::kUsage,
                  "cluster " + r.cluster_id + " is already managed as " + state::describe(id));
  if (!o.no_verify) verify_exists(o.api, r, clock, random);
  store->commit(s, {{r.identity, std::make_shared<const state::EncodedRecord>(state::encode_record(r))}});
  if (ctx.format == OutputFormat::kJson) {
    json::object doc{{"type", "imported"}, {"cluster", record_json(r)}};
    ctx.out << json::serialize(doc) << "\n";
  } else {
    ctx.out << "Imported " << state::describe(r.identity) << " as " << r.cluster_id
            << ". The next apply sends the spec's body as an update.\n";
  }
  return 0;
}

}  // namespace

Command make_state_command() {
  Command command{
      "state", "inspect or repair the state: list, show NAME, rm NAME, import NAME CLUSTER_ID, migrate --to",
      "provision state list | show NAME | rm NAME | import NAME CLUSTER_ID [PATH...] | migrate --to "
      "LOCATION [--from LOCATION] [options]",
      "list    the clusters in the state\n"
      "show    one cluster's record\n"
      "rm      forget a cluster (the cluster itself is not touched)\n"
      "import  start managing an existing cluster: its identity comes from the spec named NAME\n"
      "        in PATH (or --workspace-id and --region-id); it is checked to exist first\n"
      "migrate copy the whole state to another store (an empty one), holding both locks;\n"
      "        the source is left as it was\n"
      "rm, import and migrate take the state lock.",
      state_and_api_options({
          {"--no-verify", "", "import: do not check with ListRayCluster that the cluster exists"},
          {"--workspace-id", "ID", "the cluster's workspace (import; narrows show/rm)"},
          {"--region-id", "REGION", "the cluster's region (import; narrows show/rm)"},
          {"--spec-file", "FILE", "import: the spec file the cluster belongs to"},
          {"--to", "LOCATION", "migrate: the store to copy the state to (file or postgresql://…)"},
          {"--from", "LOCATION", "migrate: the store to copy from (default: --state)"},
      })};
  command.subcommands = {"list", "show", "rm", "import", "migrate"};
  return command;
}

int run(const StateCommandOptions& o, Context& ctx) {
  const std::string sub = o.words.empty() ? "" : o.words[0];
  if (sub == "list") return list(o, ctx);
  if (sub == "show") return show(o, ctx);
  if (sub == "rm") return remove(o, ctx);
  if (sub == "import") return import(o, ctx);
  if (sub == "migrate") return migrate_state(o, ctx);
  throw Error(ErrorKind::kUsage,
              (sub.empty() ? std::string("missing subcommand") : "unknown subcommand '" + sub + "'") +
                  "; expected list, show, rm, import or migrate");
}

}  // namespace provision::cli
