// Plan <-> JSON. Diff values stay JSON values (they are compact JSON text in FieldChange);
// a body appears only as its hash and its redacted copy.
#include "cli/plan_json.hpp"

#include <boost/json.hpp>

#include "cli/hint_text.hpp"
#include "cli/plan_json_fields.hpp"
#include "core/error.hpp"

namespace provision::cli {
namespace json = boost::json;
using engine::ActionKind;
using engine::PlannedAction;
namespace {

std::size_t count(const engine::Plan& plan, ActionKind k) {
  std::size_t n = 0;
  for (const auto& a : plan.actions) n += a.kind == k ? 1 : 0;
  return n;
}

json::value value_of(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  boost::system::error_code ec;
  json::value v = json::parse(*text, ec);
  return ec ? json::value(*text) : v;
}

json::object identity_json(const state::ClusterIdentity& id) {
  return {{"regionId", id.region_id}, {"workspaceId", id.workspace_id}, {"name", id.name}};
}

json::object action_json(const PlannedAction& a, const std::vector<engine::DesiredCluster>& desired) {
  json::object o{{"action", engine::action_name(a.kind)},
                 {"identity", identity_json(a.identity)},
                 {"clusterId", a.cluster_id},
                 {"specFile", a.spec_file},
                 {"drift", a.drift},
                 {"note", note_text(a)},  // rendered: a saved plan's reader shows it as is
                 {"updateAfterAdopt", a.update_after_adopt},
                 {"resolvesPendingCreate", a.resolves_pending_create}};
  json::array changes;
  for (const auto& c : a.diff)
    changes.push_back(
        json::object{{"pointer", c.pointer}, {"before", value_of(c.before)}, {"after", value_of(c.after)}});
  o["changes"] = std::move(changes);
  if (a.replaces)
    o["replaces"] =
        json::object{{"identity", identity_json(*a.replaces)}, {"clusterId", a.replaced_cluster_id}};
  if (!a.candidates.empty()) {
    json::array ids;
    for (const auto& id : a.candidates) ids.push_back(json::value(id));
    o["candidates"] = std::move(ids);
  }
  for (const auto& d : desired) {
    if (d.identity != a.identity) continue;
    json::object body{{"sha256", d.body_sha256}};
    if (a.desired) body["redacted"] = a.desired->redacted_body;
    o["body"] = std::move(body);
    break;
  }
  return o;
}

ActionKind kind_named(const std::string& name, const std::string& where) {
  for (ActionKind k : {ActionKind::kCreate, ActionKind::kUpdate, ActionKind::kDelete, ActionKind::kReplace,
                       ActionKind::kAdopt, ActionKind::kNoChange, ActionKind::kNotInSpecs,
                       ActionKind::kUnmanaged, ActionKind::kConflict, ActionKind::kRefusedReplace})
    if (engine::action_name(k) == name) return k;
  throw Error(ErrorKind::kUsage, "plan file: " + where + ": unknown action '" + name + "'");
}

std::optional<std::string> text_of(const json::value& v) {
  if (v.is_null()) return std::nullopt;
  return json::serialize(v);
}

PlannedAction read_action(const json::object& o, const std::string& where, SavedPlan& saved) {
  PlannedAction a;
  a.kind = kind_named(field_string(o, "action", where), where);
  a.identity = read_identity(field_object(o, "identity", where), where + "/identity");
  a.cluster_id = field_string(o, "clusterId", where);
  a.spec_file = field_string(o, "specFile", where);
  a.drift = field_bool(o, "drift", where);
  a.note = field_string(o, "note", where);
  a.update_after_adopt = field_bool(o, "updateAfterAdopt", where);
  a.resolves_pending_create = field_bool(o, "resolvesPendingCreate", where);
  const json::array& changes = field_array(o, "changes", where);
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const std::string at = where + "/changes/" + std::to_string(i);
    if (!changes[i].is_object()) throw Error(ErrorKind::kUsage, "plan file: " + at + ": expected an object");
    const json::object& c = changes[i].as_object();
    a.diff.push_back({field_string(c, "pointer", at), text_of(field_value(c, "before", at)),
                      text_of(field_value(c, "after", at))});
  }
  if (o.contains("replaces")) {
    const json::object& r = field_object(o, "replaces", where);
    a.replaces =
        read_identity(field_object(r, "identity", where + "/replaces"), where + "/replaces/identity");
    a.replaced_cluster_id = field_string(r, "clusterId", where + "/replaces");
  }
  if (o.contains("candidates"))
    for (const auto& id : field_array(o, "candidates", where))
      if (id.is_string()) a.candidates.emplace_back(id.as_string());
  if (o.contains("body")) {
    const json::object& body = field_object(o, "body", where);
    saved.body_sha256[a.identity] = field_string(body, "sha256", where + "/body");
    if (body.contains("redacted")) {  // for show only: apply --plan derives the real body again
      engine::DesiredCluster shown;
      shown.identity = a.identity;
      shown.spec_file = a.spec_file;
      shown.body_sha256 = saved.body_sha256[a.identity];
      shown.redacted_body = field_object(body, "redacted", where + "/body");
      a.desired = std::move(shown);
    }
  }
  return a;
}

}  // namespace

json::object plan_summary(const engine::Plan& plan) {
  return {{"create", count(plan, ActionKind::kCreate)},
          {"update", count(plan, ActionKind::kUpdate)},
          {"delete", count(plan, ActionKind::kDelete)},
          {"replace", count(plan, ActionKind::kReplace)},
          {"adopt", count(plan, ActionKind::kAdopt)},
          {"noChange", count(plan, ActionKind::kNoChange)},
          {"notInSpecs", count(plan, ActionKind::kNotInSpecs)},
          {"blocked", count(plan, ActionKind::kUnmanaged) + count(plan, ActionKind::kConflict) +
                          count(plan, ActionKind::kRefusedReplace)},
          {"changes", plan.has_changes()}};
}

json::object plan_document(const engine::Plan& plan, const std::vector<engine::DesiredCluster>& desired,
                           const PlanProvenance& p) {
  json::array paths;
  for (const auto& s : p.paths) paths.push_back(json::value(s));
  json::array files;
  for (const auto& f : p.spec_files) files.push_back(json::object{{"file", f.file}, {"sha256", f.sha256}});
  json::array actions;
  for (const auto& a : plan.actions) actions.push_back(action_json(a, desired));
  return {
      {"format_version", kPlanFormatVersion},
      {"provision_version", p.provision_version},
      {"schema_sha256", p.schema_sha256},
      {"state", json::object{{"kind", p.store.kind},
                             {"location", p.store.location},
                             {"name", p.store.name},
                             {"lineage", p.lineage},
                             {"serial", p.serial}}},
      {"paths", std::move(paths)},
      {"options", json::object{{"refresh", p.refresh},
                               {"prune", p.options.prune},
                               {"allowReplace", p.options.allow_replace},
                               {"adopt", p.options.adopt}}},
      {"spec_files", std::move(files)},
      {"summary", plan_summary(plan)},
      {"actions", std::move(actions)},
  };
}

SavedPlan read_plan_document(const json::value& document) {
  if (!document.is_object()) throw Error(ErrorKind::kUsage, "plan file: expected a JSON object");
  const json::object& d = document.as_object();
  const json::value& version = field_value(d, "format_version", "");
  if (!version.is_int64() || version.as_int64() != kPlanFormatVersion)
    throw Error(ErrorKind::kUsage, "plan file: unknown format_version " + json::serialize(version) +
                                       " (this provision reads format_version " +
                                       std::to_string(kPlanFormatVersion) + ")");
  SavedPlan saved;
  PlanProvenance& p = saved.provenance;
  p.provision_version = field_string(d, "provision_version", "");
  p.schema_sha256 = field_string(d, "schema_sha256", "");
  const json::object& s = field_object(d, "state", "");
  p.store = {field_string(s, "kind", "/state"), field_string(s, "location", "/state"),
             field_string(s, "name", "/state")};
  p.lineage = field_string(s, "lineage", "/state");
  p.serial = field_uint(s, "serial", "/state");
  for (const auto& v : field_array(d, "paths", ""))
    if (v.is_string()) p.paths.emplace_back(v.as_string());
  const json::object& o = field_object(d, "options", "");
  p.refresh = field_bool(o, "refresh", "/options");
  p.options.prune = field_bool(o, "prune", "/options");
  p.options.allow_replace = field_bool(o, "allowReplace", "/options");
  p.options.adopt = field_bool(o, "adopt", "/options");
  const json::array& files = field_array(d, "spec_files", "");
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string at = "/spec_files/" + std::to_string(i);
    if (!files[i].is_object()) throw Error(ErrorKind::kUsage, "plan file: " + at + ": expected an object");
    p.spec_files.push_back(
        {field_string(files[i].as_object(), "file", at), field_string(files[i].as_object(), "sha256", at)});
  }
  const json::array& actions = field_array(d, "actions", "");
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const std::string at = "/actions/" + std::to_string(i);
    if (!actions[i].is_object()) throw Error(ErrorKind::kUsage, "plan file: " + at + ": expected an object");
    saved.plan.actions.push_back(read_action(actions[i].as_object(), at, saved));
  }
  return saved;
}

}  // namespace provision::cli
