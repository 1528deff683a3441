// aliyun CLI profiles (api.md §5.2): strict parsing so a broken file is reported, never half-used.
#include "api/credentials_config_file.hpp"

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "api/imds_credentials.hpp"
#include "api/role_settings.hpp"
#include "api/signing/http_request_parts.hpp"
#include "core/error.hpp"
#include "core/spelling.hpp"

namespace provision::api {
namespace {

namespace json = boost::json;

class ConfigFile {
 public:
  explicit ConfigFile(const std::filesystem::path& file) : file_(file.string()) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(ErrorKind::kCredentials, file_ + ": " + what);
  }

  std::string read() const {
    std::ifstream in(file_, std::ios::binary);
    if (!in) fail(std::string("cannot read: ") + std::strerror(errno));
    std::ostringstream out;
    out << in.rdbuf();
    if (in.bad()) fail("cannot read the file");
    return out.str();
  }

  json::object parse(const std::string& text) const {
    json::parser parser;
    boost::system::error_code ec;
    const std::size_t used = parser.write(text.data(), text.size(), ec);
    if (ec) {
      // Point at the byte where the parser stopped; no content is echoed (the file holds secrets).
      int line = 1, column = 1;
      for (std::size_t i = 0; i < used && i < text.size(); ++i) {
        if (text[i] == '\n') {
          ++line;
          column = 1;
        } else {
          ++column;
        }
      }
      fail(std::to_string(line) + ":" + std::to_string(column) + ": not valid JSON (" + ec.message() + ")");
    }
    json::value doc = parser.release();
    if (!doc.is_object()) fail("expected a JSON object at the top level");
    return std::move(doc.as_object());
  }

  // A string member, "" when absent; a non-string is an error naming its JSON pointer.
  std::string string_at(const json::object& o, std::string_view key, const std::string& pointer) const {
    const auto* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) return {};
    if (!v->is_string()) fail(pointer + "/" + std::string(key) + ": expected a string");
    return std::string(v->as_string());
  }

  // A string, an integer or a boolean member as text ("" when absent): the aliyun CLI writes
  // expired_seconds as a number and enable_vpc as a boolean.
  std::string scalar_at(const json::object& o, std::string_view key, const std::string& pointer) const {
    const auto* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) return {};
    if (v->is_string()) return std::string(v->as_string());
    if (v->is_int64()) return std::to_string(v->as_int64());
    if (v->is_uint64()) return std::to_string(v->as_uint64());
    if (v->is_bool()) return v->as_bool() ? "true" : "false";
    fail(pointer + "/" + std::string(key) + ": expected a string, a number or a boolean");
  }

  const std::string& name() const { return file_; }

 private:
  std::string file_;
};

ProfileChoice choose_profile(std::string_view explicit_profile, const CredentialSources& sources,
                             const std::string& current) {
  if (!explicit_profile.empty()) return {std::string(explicit_profile), sources.explicit_profile_origin};
  if (auto env = sources.getenv("ALIBABA_CLOUD_PROFILE"); env && !env->empty()) {
    return {*env, "ALIBABA_CLOUD_PROFILE"};
  }
  if (!current.empty()) return {current, "the file's \"current\""};
  return {"default", "the default name"};
}

bool env_is_true(const CredentialSources& sources, std::string_view name) {
  const auto v = sources.getenv(name);
  return v && ascii_lower(*v) == "true";
}

}  // namespace

namespace {

// One profile of a parsed file, and how to read its keys with messages that name it.
struct Profile {
  const ConfigFile& cfg;
  const json::object& object;
  std::string pointer;
  std::string label;  // "profile 'ci' (mode OIDC) in /path/config.json"

  std::string get(std::string_view key) const { return cfg.string_at(object, key, pointer); }
  std::string scalar(std::string_view key) const { return cfg.scalar_at(object, key, pointer); }
  std::string require(std::string_view key) const {
    std::string value = get(key);
    if (value.empty())
      throw Error(ErrorKind::kCredentials, label + ": '" + std::string(key) + "' is missing or empty");
    return value;
  }
};

// The profile named `name`; throws naming the profiles present when there is none.
std::pair<const json::object*, std::string> find_profile(const ConfigFile& cfg, const json::object& root,
                                                         const std::string& name,
                                                         const std::string& chosen_by) {
  const auto* profiles_value = root.if_contains("profiles");
  if (profiles_value != nullptr && !profiles_value->is_array()) cfg.fail("/profiles: expected an array");
  std::vector<std::string> names;
  const json::object* found = nullptr;
  std::string pointer;
  if (profiles_value != nullptr) {
    const auto& profiles = profiles_value->as_array();
    for (std::size_t i = 0; i < profiles.size(); ++i) {
      const std::string p = "/profiles/" + std::to_string(i);
      if (!profiles[i].is_object()) cfg.fail(p + ": expected an object");
      const std::string n = cfg.string_at(profiles[i].as_object(), "name", p);
      names.push_back(n);
      if (n == name && found == nullptr) {
        found = &profiles[i].as_object();
        pointer = p;
      }
    }
  }
  if (found == nullptr) {
    std::string message = "no profile named '" + name + "' (chosen by " + chosen_by + ")";
    if (const auto close = closest_match(name, names); !close.empty()) {
      message += "; did you mean '" + close + "'?";
    }
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + ("'" + n + "'");
    message += names.empty() ? "; the file has no profiles" : "; profiles in the file: " + list;
    cfg.fail(message);
  }
  return {found, pointer};
}

CredentialPlan ecs_ram_role(const Profile& p, const CredentialSources& sources) {
  if (env_is_true(sources, "ALIBABA_CLOUD_ECS_METADATA_DISABLED")) {
    throw Error(ErrorKind::kCredentials,
                p.label + ": the metadata service is disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true");
  }
  ImdsOptions options;
  options.endpoint = sources.imds;
  options.role_name = p.get("ram_role_name");
  if (options.role_name.empty())
    options.role_name = sources.getenv("ALIBABA_CLOUD_ECS_METADATA").value_or("");
  options.imdsv1_disabled = env_is_true(sources, "ALIBABA_CLOUD_IMDSV1_DISABLED");
  options.context = p.label;
  return {p.label, EcsRolePlan{options}};
}

// The AssumeRole parameters and STS location shared by RamRoleArn and ChainableRamRoleArn.
RamRolePlan ram_role(const Profile& p, const CredentialSources& sources) {
  RamRolePlan plan;
  plan.params.role_arn = p.require("ram_role_arn");
  plan.params.role_session_name = role_session_name(p.get("ram_session_name"), sources);
  plan.params.duration_seconds =
      role_duration_seconds(p.scalar("expired_seconds"), p.label + ": expired_seconds");
  plan.params.policy = p.get("policy");
  plan.params.external_id = p.get("external_id");
  plan.sts = role_sts_location(p.get("sts_region"), p.scalar("enable_vpc"), sources);
  return plan;
}

constexpr const char* kSupportedModes = "AK, StsToken, EcsRamRole, RamRoleArn, OIDC, ChainableRamRoleArn";
constexpr int kMaxChain = 8;  // ChainableRamRoleArn hops before a cycle is assumed

CredentialPlan plan_for_profile(const ConfigFile& cfg, const json::object& root, const ProfileChoice& choice,
                                const CredentialSources& sources, int depth) {
  const auto [object, pointer] = find_profile(cfg, root, choice.name, choice.chosen_by);
  const std::string mode = cfg.string_at(*object, "mode", pointer);
  const Profile p{
      cfg, *object, pointer,
      "profile '" + choice.name + "' (mode " + (mode.empty() ? "unset" : mode) + ") in " + cfg.name()};
  const std::string lower_mode = ascii_lower(mode);
  if (lower_mode == "ak") {
    const std::string id = p.require("access_key_id");
    return {p.label, Credentials{id, p.require("access_key_secret"), "", p.label}};
  }
  if (lower_mode == "ststoken") {
    const std::string id = p.require("access_key_id");
    const std::string secret = p.require("access_key_secret");
    return {p.label, Credentials{id, secret, p.require("sts_token"), p.label}};
  }
  if (lower_mode == "ecsramrole") return ecs_ram_role(p, sources);
  if (lower_mode == "ramrolearn") {
    // Braces: the access key's fields are required (and reported) in this order, before the role's.
    Credentials key{p.require("access_key_id"), p.require("access_key_secret"), p.get("sts_token"), ""};
    RamRolePlan plan = ram_role(p, sources);
    plan.source = access_key_source(p.label, std::move(key));
    return {p.label, std::move(plan)};
  }
  if (lower_mode == "oidc") {
    // Braces: the fields are read, and the first missing or bad one reported, in this order.
    return {p.label,
            oidc_role_plan(
                {p.require("ram_role_arn"), p.require("oidc_provider_arn"), p.require("oidc_token_file"),
                 p.get("ram_session_name"),
                 role_duration_seconds(p.scalar("expired_seconds"), p.label + ": expired_seconds"),
                 p.get("policy"), role_sts_location(p.get("sts_region"), p.scalar("enable_vpc"), sources)},
                sources)};
  }
  if (lower_mode == "chainableramrolearn") {
    const std::string source_name = p.require("source_profile");
    if (depth >= kMaxChain)
      throw Error(ErrorKind::kCredentials, p.label + ": source_profile chain is longer than " +
                                               std::to_string(kMaxChain) + " profiles (is there a cycle?)");
    RamRolePlan plan = ram_role(p, sources);
    plan.source = std::make_shared<CredentialPlan>(
        plan_for_profile(cfg, root, ProfileChoice{source_name, "source_profile of '" + choice.name + "'"},
                         sources, depth + 1));
    return {p.label, std::move(plan)};
  }
  if (mode.empty()) {
    throw Error(ErrorKind::kCredentials,
                p.label + ": the profile has no 'mode' (expected one of " + kSupportedModes + ")");
  }
  throw Error(ErrorKind::kCredentials, p.label + ": mode '" + mode +
                                           "' is not supported (supported: " + kSupportedModes +
                                           "); use one of those, or set ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET");
}

}  // namespace

CredentialPlan plan_from_config_file(const std::filesystem::path& file, std::string_view explicit_profile,
                                     const CredentialSources& sources) {
  const ConfigFile cfg(file);
  const json::object root = cfg.parse(cfg.read());
  const std::string current = cfg.string_at(root, "current", "");
  return plan_for_profile(cfg, root, choose_profile(explicit_profile, sources, current), sources, 0);
}

}  // namespace provision::api
