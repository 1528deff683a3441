// aliyun CLI profiles: strict parsing so a broken file is reported, never half-used.
#include "api/credentials_config_file.hpp"

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "api/imds_credentials.hpp"
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

  const std::string& name() const { return file_; }

 private:
  std::string file_;
};

ProfileChoice choose_profile(std::string_view explicit_profile, const CredentialSources& sources,
                             const std::string& current) {
  if (!explicit_profile.empty()) return {std::string(explicit_profile), "--profile"};
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

Credentials credentials_from_config_file(const std::filesystem::path& file, std::string_view explicit_profile,
                                         const CredentialSources& sources) {
  const ConfigFile cfg(file);
  const json::object root = cfg.parse(cfg.read());
  const std::string current = cfg.string_at(root, "current", "");
  const ProfileChoice choice = choose_profile(explicit_profile, sources, current);

  const auto* profiles_value = root.if_contains("profiles");
  if (profiles_value != nullptr && !profiles_value->is_array()) cfg.fail("/profiles: expected an array");
  const json::object* profile = nullptr;
  std::string pointer;
  std::vector<std::string> names;
  if (profiles_value != nullptr) {
    const auto& profiles = profiles_value->as_array();
    for (std::size_t i = 0; i < profiles.size(); ++i) {
      const std::string p = "/profiles/" + std::to_string(i);
      if (!profiles[i].is_object()) cfg.fail(p + ": expected an object");
      const std::string name = cfg.string_at(profiles[i].as_object(), "name", p);
      names.push_back(name);
      if (name == choice.name && profile == nullptr) {
        profile = &profiles[i].as_object();
        pointer = p;
      }
    }
  }
  if (profile == nullptr) {
    std::string message = "no profile named '" + choice.name + "' (chosen by " + choice.chosen_by + ")";
    if (const auto close = closest_match(choice.name, names); !close.empty()) {
      message += "; did you mean '" + close + "'?";
    }
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + ("'" + n + "'");
    message += names.empty() ? "; the file has no profiles" : "; profiles in the file: " + list;
    cfg.fail(message);
  }

  const std::string mode = cfg.string_at(*profile, "mode", pointer);
  const std::string label =
      "profile '" + choice.name + "' (mode " + (mode.empty() ? "unset" : mode) + ") in " + cfg.name();
  auto require = [&](std::string_view key) {
    std::string value = cfg.string_at(*profile, key, pointer);
    if (value.empty())
      throw Error(ErrorKind::kCredentials, label + ": '" + std::string(key) + "' is missing or empty");
    return value;
  };

  const std::string lower_mode = ascii_lower(mode);
  if (lower_mode == "ak") {
    const std::string id = require("access_key_id");
    return Credentials{id, require("access_key_secret"), "", label};
  }
  if (lower_mode == "ststoken") {
    const std::string id = require("access_key_id");
    const std::string secret = require("access_key_secret");
    return Credentials{id, secret, require("sts_token"), label};
  }
  if (lower_mode == "ecsramrole") {
    if (env_is_true(sources, "ALIBABA_CLOUD_ECS_METADATA_DISABLED")) {
      throw Error(ErrorKind::kCredentials,
                  label + ": the metadata service is disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true");
    }
    ImdsOptions options;
    options.endpoint = sources.imds;
    options.role_name = cfg.string_at(*profile, "ram_role_name", pointer);
    if (options.role_name.empty())
      options.role_name = sources.getenv("ALIBABA_CLOUD_ECS_METADATA").value_or("");
    options.imdsv1_disabled = env_is_true(sources, "ALIBABA_CLOUD_IMDSV1_DISABLED");
    options.context = label;
    return fetch_ecs_ram_role_credentials(options);
  }
  if (mode.empty()) {
    throw Error(ErrorKind::kCredentials,
                label + ": the profile has no 'mode' (expected AK, StsToken or EcsRamRole)");
  }
  throw Error(ErrorKind::kCredentials, label + ": mode '" + mode +
                                           "' is not supported yet (supported: AK, StsToken, EcsRamRole); "
                                           "use one of those, or set ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET");
}

}  // namespace provision::api
