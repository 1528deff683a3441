// Flattening to pointer -> leaf text, then a merge of the two sorted maps.
#include "engine/body_diff.hpp"

#include <boost/json.hpp>
#include <map>

#include "core/json_pointer.hpp"

namespace provision::engine {
namespace json = boost::json;
namespace {

using Leaves = std::map<std::string, std::string>;

void flatten(const json::value& v, const std::string& pointer, Leaves& leaves, Leaves* array_sizes) {
  if (v.is_object() && !v.get_object().empty()) {
    for (const auto& member : v.get_object())
      flatten(member.value(), pointer + "/" + escape_pointer_token(member.key()), leaves, array_sizes);
  } else if (v.is_array() && !v.get_array().empty()) {
    if (array_sizes) (*array_sizes)[pointer] = std::to_string(v.get_array().size());
    std::size_t i = 0;
    for (const auto& item : v.get_array())
      flatten(item, pointer + "/" + std::to_string(i++), leaves, array_sizes);
  } else {
    leaves[pointer] = json::serialize(v);
  }
}

}  // namespace

std::vector<FieldChange> diff_bodies(const json::object& before, const json::object& after) {
  Leaves a, b;
  flatten(before, "", a, nullptr);
  flatten(after, "", b, nullptr);
  std::vector<FieldChange> changes;
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() || j != b.end()) {
    if (j == b.end() || (i != a.end() && i->first < j->first)) {
      changes.push_back({i->first, i->second, std::nullopt});
      ++i;
    } else if (i == a.end() || j->first < i->first) {
      changes.push_back({j->first, std::nullopt, j->second});
      ++j;
    } else {
      if (i->second != j->second) changes.push_back({i->first, i->second, j->second});
      ++i;
      ++j;
    }
  }
  return changes;
}

std::vector<FieldChange> drift_changes(const json::object& desired, const json::object& live) {
  Leaves want, have, want_sizes, have_sizes;
  flatten(desired, "", want, &want_sizes);
  flatten(live, "", have, &have_sizes);
  std::vector<FieldChange> changes;
  for (const auto& [pointer, size] : want_sizes) {
    auto it = have_sizes.find(pointer);
    if (it != have_sizes.end() && it->second != size)
      changes.push_back({pointer + " (items)", it->second, size});
  }
  for (const auto& [pointer, value] : want) {
    if (value == "\"***\"") continue;
    auto it = have.find(pointer);
    if (it != have.end() && it->second != value) changes.push_back({pointer, it->second, value});
  }
  return changes;
}

}  // namespace provision::engine
