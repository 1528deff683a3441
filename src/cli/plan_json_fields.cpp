// Field readers for plan documents (see plan_json_fields.hpp).
#include "cli/plan_json_fields.hpp"

#include <boost/json.hpp>

#include "core/error.hpp"

namespace provision::cli {
namespace json = boost::json;
namespace {

[[noreturn]] void bad(const std::string& where, const std::string& key, const std::string& expected) {
  throw Error(ErrorKind::kUsage, "plan file: " + where + "/" + key + ": " + expected);
}

}  // namespace

const json::value& field_value(const json::object& o, const std::string& key, const std::string& where) {
  const json::value* v = o.if_contains(key);
  if (!v) bad(where, key, "missing");
  return *v;
}

std::string field_string(const json::object& o, const std::string& key, const std::string& where) {
  const json::value& v = field_value(o, key, where);
  if (!v.is_string()) bad(where, key, "expected a string");
  return std::string(v.as_string());
}

bool field_bool(const json::object& o, const std::string& key, const std::string& where) {
  const json::value& v = field_value(o, key, where);
  if (!v.is_bool()) bad(where, key, "expected true or false");
  return v.as_bool();
}

std::uint64_t field_uint(const json::object& o, const std::string& key, const std::string& where) {
  const json::value& v = field_value(o, key, where);
  if (v.is_uint64()) return v.as_uint64();
  if (v.is_int64() && v.as_int64() >= 0) return static_cast<std::uint64_t>(v.as_int64());
  bad(where, key, "expected a whole number ≥ 0");
}

const json::object& field_object(const json::object& o, const std::string& key, const std::string& where) {
  const json::value& v = field_value(o, key, where);
  if (!v.is_object()) bad(where, key, "expected an object");
  return v.as_object();
}

const json::array& field_array(const json::object& o, const std::string& key, const std::string& where) {
  const json::value& v = field_value(o, key, where);
  if (!v.is_array()) bad(where, key, "expected an array");
  return v.as_array();
}

state::ClusterIdentity read_identity(const json::object& o, const std::string& where) {
  return {field_string(o, "regionId", where), field_string(o, "workspaceId", where),
          field_string(o, "name", where)};
}

}  // namespace provision::cli
