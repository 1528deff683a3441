// Table-driven field checks; messages name the field as "workerSpec[1].replica".
#include "emulator/cluster_validation.hpp"

#include <boost/json.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>

namespace provision::emulator {
namespace {

namespace json = boost::json;

enum class Type { kString, kJsonString, kBool, kInt32, kStringArray, kGftConfig };

struct Field {
  std::string_view name;
  Type type;
  std::int64_t minimum = std::numeric_limits<std::int64_t>::min();
};

constexpr std::int64_t kNoMin = std::numeric_limits<std::int64_t>::min();

constexpr Field kTopFields[] = {
    {"name", Type::kString, kNoMin},           {"displayReleaseVersion", Type::kString, kNoMin},
    {"description", Type::kString, kNoMin},    {"networkServiceName", Type::kString, kNoMin},
    {"extraParam", Type::kJsonString, kNoMin}, {"volumeIds", Type::kStringArray, kNoMin},
};

constexpr Field kHeadFields[] = {
    {"queueName", Type::kString, kNoMin},
    {"cpu", Type::kString, kNoMin},
    {"memory", Type::kString, kNoMin},
    {"enableAutoScaling", Type::kBool, kNoMin},
    {"idleTimeoutSeconds", Type::kInt32, 0},
    {"gpuSpec", Type::kString, kNoMin},
    {"displayReleaseVersion", Type::kString, kNoMin},
    {"env", Type::kString, kNoMin},
    {"rayStartParams", Type::kString, kNoMin},
    {"gftEnabled", Type::kBool, kNoMin},
    {"gftConfig", Type::kGftConfig, kNoMin},
};

constexpr Field kWorkerFields[] = {
    {"groupName", Type::kString, kNoMin},
    {"workerType", Type::kString, kNoMin},
    {"replica", Type::kInt32, 1},
    {"queueName", Type::kString, kNoMin},
    {"cpu", Type::kString, kNoMin},
    {"memory", Type::kString, kNoMin},
    {"minReplica", Type::kInt32, 1},
    {"maxReplica", Type::kInt32, 1},
    {"gpuSpec", Type::kString, kNoMin},
    {"displayReleaseVersion", Type::kString, kNoMin},
    {"env", Type::kString, kNoMin},
    {"rayStartParams", Type::kString, kNoMin},
    {"extraParam", Type::kJsonString, kNoMin},
};

constexpr std::size_t kMaxWorkerGroups = 50;
constexpr std::size_t kMaxNameLength = 64;

using Check = std::optional<ApiError>;

std::optional<std::int64_t> as_int(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return static_cast<std::int64_t>(v.get_uint64());
  return std::nullopt;
}

Check check_gft_config(const std::string& where, const json::value& v, json::object& out) {
  if (!v.is_object()) return invalid_parameter(where, "must be an object");
  for (std::string_view key : {"redisUrl", "redisUsername", "redisPassword"}) {
    const json::value* item = v.get_object().if_contains(key);
    if (!item) continue;
    if (!item->is_string()) return invalid_parameter(where + "." + std::string(key), "must be a string");
    if (key != "redisPassword") out[key] = *item;
  }
  return std::nullopt;
}

Check check_field(const std::string& where, const Field& field, const json::value& v, json::object& out) {
  switch (field.type) {
    case Type::kString:
      if (!v.is_string()) return invalid_parameter(where, "must be a string");
      break;
    case Type::kJsonString: {
      if (!v.is_string()) return invalid_parameter(where, "must be a string holding JSON");
      boost::system::error_code ec;
      json::parse(v.get_string(), ec);
      if (ec) return invalid_parameter(where, "must hold valid JSON (" + ec.message() + ")");
      break;
    }
    case Type::kBool:
      if (!v.is_bool()) return invalid_parameter(where, "must be a boolean");
      break;
    case Type::kInt32: {
      auto n = as_int(v);
      if (!n || *n > std::numeric_limits<std::int32_t>::max() ||
          *n < std::numeric_limits<std::int32_t>::min())
        return invalid_parameter(where, "must be a 32-bit integer");
      if (*n < field.minimum)
        return invalid_parameter(
            where, "must be at least " + std::to_string(field.minimum) + ", got " + std::to_string(*n));
      break;
    }
    case Type::kStringArray:
      if (!v.is_array()) return invalid_parameter(where, "must be an array of strings");
      for (std::size_t i = 0; i < v.get_array().size(); ++i) {
        if (!v.get_array()[i].is_string())
          return invalid_parameter(where + "[" + std::to_string(i) + "]", "must be a string");
      }
      break;
    case Type::kGftConfig: {
      json::object config;
      if (Check e = check_gft_config(where, v, config)) return e;
      out[field.name] = std::move(config);
      return std::nullopt;
    }
  }
  out[field.name] = v;
  return std::nullopt;
}

template <std::size_t N>
Check check_fields(const std::string& prefix, const Field (&fields)[N], const json::object& in,
                   json::object& out) {
  for (const Field& field : fields) {
    if (const json::value* v = in.if_contains(field.name)) {
      if (v->is_null()) continue;  // SDKs omit nulls; treat an explicit null as absent
      if (Check e = check_field(prefix + std::string(field.name), field, *v, out)) return e;
    }
  }
  return std::nullopt;
}

Check check_worker(std::size_t index, const json::value& v, std::set<std::string>& names, json::object& out) {
  const std::string where = "workerSpec[" + std::to_string(index) + "]";
  if (!v.is_object()) return invalid_parameter(where, "must be an object");
  if (Check e = check_fields(where + ".", kWorkerFields, v.get_object(), out)) return e;
  if (const json::value* group = out.if_contains("groupName")) {
    std::string name(group->get_string());
    if (name.empty()) return invalid_parameter(where + ".groupName", "must not be empty");
    if (!names.insert(name).second)
      return invalid_parameter(where + ".groupName", "\"" + name + "\" is used by another worker group");
  }
  const json::value* min = out.if_contains("minReplica");
  const json::value* max = out.if_contains("maxReplica");
  if (min && max && *as_int(*min) > *as_int(*max)) {
    return invalid_parameter(where + ".minReplica", "must not exceed maxReplica (" +
                                                        std::to_string(*as_int(*min)) + " > " +
                                                        std::to_string(*as_int(*max)) + ")");
  }
  return std::nullopt;
}

// Characters, not bytes: UTF-8 continuation bytes (10xxxxxx) are not counted.
std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

Check check_body(const json::object& in, json::object& out) {
  if (Check e = check_fields("", kTopFields, in, out)) return e;
  if (const json::value* name = out.if_contains("name")) {
    std::size_t length = utf8_length(name->get_string());
    if (length < 1 || length > kMaxNameLength)
      return invalid_parameter("name", "must be 1 to 64 characters long, got " + std::to_string(length));
  }

  if (const json::value* head = in.if_contains("headSpec"); head && !head->is_null()) {
    if (!head->is_object()) return invalid_parameter("headSpec", "must be an object");
    json::object head_out;
    if (Check e = check_fields("headSpec.", kHeadFields, head->get_object(), head_out)) return e;
    out["headSpec"] = std::move(head_out);
  }

  if (const json::value* workers = in.if_contains("workerSpec"); workers && !workers->is_null()) {
    if (!workers->is_array()) return invalid_parameter("workerSpec", "must be an array");
    if (workers->get_array().size() > kMaxWorkerGroups) {
      return invalid_parameter("workerSpec", "must have at most 50 worker groups, got " +
                                                 std::to_string(workers->get_array().size()));
    }
    json::array workers_out;
    std::set<std::string> names;
    for (std::size_t i = 0; i < workers->get_array().size(); ++i) {
      json::object worker_out;
      if (Check e = check_worker(i, workers->get_array()[i], names, worker_out)) return e;
      workers_out.push_back(std::move(worker_out));
    }
    out["workerSpec"] = std::move(workers_out);
  }
  return std::nullopt;
}

}  // namespace

std::variant<json::object, ApiError> validate_cluster_body(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return json::object();
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec) return invalid_parameter("body", "is not valid JSON (" + ec.message() + ")");
  if (!parsed.is_object()) return invalid_parameter("body", "must be a JSON object");
  json::object out;
  if (Check e = check_body(parsed.get_object(), out)) return *e;
  return out;
}

}  // namespace provision::emulator
