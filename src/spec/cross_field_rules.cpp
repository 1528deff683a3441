// Each rule is one function; all report at the value the user has to change.
#include "spec/cross_field_rules.hpp"

#include <boost/json/parse.hpp>
#include <map>

#include "core/json_pointer.hpp"

namespace provision::spec {
namespace {

Diagnostic make(std::string code, const std::string& pointer, const SourceMap& map, std::string message) {
  Diagnostic d;
  d.code = std::move(code);
  d.location = map.value_location(pointer);
  d.pointer = pointer;
  d.message = std::move(message);
  return d;
}

const boost::json::array* worker_groups(const boost::json::value& document) {
  const auto* root = document.if_object();
  const auto* spec = root ? root->if_contains("spec") : nullptr;
  const auto* workers = spec && spec->is_object() ? spec->as_object().if_contains("workerSpec") : nullptr;
  return workers ? workers->if_array() : nullptr;
}

void check_replica_range(const boost::json::array& groups, const SourceMap& map, Diagnostics& out) {
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const auto* group = groups[i].if_object();
    if (!group) continue;
    const auto* min = group->if_contains("minReplica");
    const auto* max = group->if_contains("maxReplica");
    if (!min || !max || !min->is_int64() || !max->is_int64()) continue;
    if (min->as_int64() > max->as_int64())
      out.push_back(make("spec.min_gt_max",
                         append_pointer(append_pointer("/spec/workerSpec", i), "minReplica"), map,
                         "must be <= maxReplica (" + std::to_string(max->as_int64()) + "), got " +
                             std::to_string(min->as_int64())));
  }
}

void check_unique_group_names(const boost::json::array& groups, const SourceMap& map, Diagnostics& out) {
  std::map<std::string, std::size_t> first_index;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const auto* group = groups[i].if_object();
    const auto* name = group ? group->if_contains("groupName") : nullptr;
    if (!name || !name->is_string()) continue;
    auto [it, inserted] = first_index.emplace(std::string(name->as_string()), i);
    if (inserted) continue;
    const std::string first = append_pointer(append_pointer("/spec/workerSpec", it->second), "groupName");
    const SourceLocation at = map.value_location(first);
    out.push_back(make("spec.duplicate_group_name",
                       append_pointer(append_pointer("/spec/workerSpec", i), "groupName"), map,
                       "groupName '" + it->first + "' is already used by " + first + " (line " +
                           std::to_string(at.line) + ")"));
  }
}

void check_extra_param(const boost::json::value* value, const std::string& pointer, const SourceMap& map,
                       Diagnostics& out) {
  if (!value || !value->is_string()) return;
  boost::system::error_code ec;
  boost::json::parse(value->as_string(), ec);
  if (ec)
    out.push_back(make("spec.extra_param_json", pointer, map,
                       "must be valid JSON (a JSON string or a YAML mapping): " + ec.message()));
}

}  // namespace

Diagnostics check_cross_field_rules(const boost::json::value& document, const SourceMap& map) {
  Diagnostics out;
  if (const auto* root = document.if_object())
    if (const auto* spec = root->if_contains("spec"); spec && spec->is_object())
      check_extra_param(spec->as_object().if_contains("extraParam"), "/spec/extraParam", map, out);
  if (const boost::json::array* groups = worker_groups(document)) {
    check_replica_range(*groups, map, out);
    check_unique_group_names(*groups, map, out);
    for (std::size_t i = 0; i < groups->size(); ++i)
      if (const auto* group = (*groups)[i].if_object())
        check_extra_param(group->if_contains("extraParam"),
                          append_pointer(append_pointer("/spec/workerSpec", i), "extraParam"), map, out);
  }
  return out;
}

}  // namespace provision::spec
