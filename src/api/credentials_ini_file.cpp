// INI reading is strict like the config.json reader: a broken file is reported, never half-used.
#include "api/credentials_ini_file.hpp"

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

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorKind::kCredentials, file.string() + ": cannot read: " + std::strerror(errno));
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct Section {
  const IniSection& section;
  std::string label;  // "section [ci] (type oidc_role_arn) in /path/credentials"

  std::string get(const std::string& key) const {
    const auto it = section.keys.find(key);
    return it == section.keys.end() ? std::string() : it->second;
  }
  std::string require(const std::string& key) const {
    std::string value = get(key);
    if (value.empty()) throw Error(ErrorKind::kCredentials, label + ": '" + key + "' is missing or empty");
    return value;
  }
};

CredentialPlan plan_for_section(const Section& s, const CredentialSources& sources) {
  const std::string type = s.get("type");
  if (type == "access_key") {
    const std::string id = s.require("access_key_id");
    return {s.label, Credentials{id, s.require("access_key_secret"), "", s.label}};
  }
  if (type == "ecs_ram_role") {
    ImdsOptions options;
    options.endpoint = sources.imds;
    options.role_name = s.get("role_name");
    options.imdsv1_disabled =
        ascii_lower(sources.getenv("ALIBABA_CLOUD_IMDSV1_DISABLED").value_or("")) == "true";
    options.context = s.label;
    return {s.label, EcsRolePlan{options}};
  }
  const int duration =
      role_duration_seconds(s.get("role_session_expiration"), s.label + ": role_session_expiration");
  const StsLocation sts = role_sts_location(s.get("sts_region"), s.get("enable_vpc"), sources);
  if (type == "ram_role_arn") {
    Credentials key{s.require("access_key_id"), s.require("access_key_secret"), "", ""};
    RamRolePlan plan;
    plan.params = {s.require("role_arn"), role_session_name(s.get("role_session_name"), sources), duration,
                   s.get("policy"), s.get("external_id")};
    plan.sts = sts;
    plan.source = access_key_source(s.label, std::move(key));
    return {s.label, std::move(plan)};
  }
  if (type == "oidc_role_arn") {
    // Braces: the fields are required, and the first missing one reported, in this order.
    return {s.label, oidc_role_plan({s.require("role_arn"), s.require("oidc_provider_arn"),
                                     s.require("oidc_token_file_path"), s.get("role_session_name"), duration,
                                     s.get("policy"), sts},
                                    sources)};
  }
  throw Error(ErrorKind::kCredentials,
              s.label + ": " +
                  (type.empty() ? std::string("no 'type'") : "type '" + type + "' is not supported") +
                  " (expected access_key, ecs_ram_role, ram_role_arn or oidc_role_arn)");
}

}  // namespace

std::vector<IniSection> parse_ini(std::string_view text, const std::string& origin) {
  std::vector<IniSection> sections;
  int number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = trim(text.substr(start, end - start));
    start = end + 1;
    ++number;
    const std::string where = origin + ":" + std::to_string(number);
    if (line.empty() || line.front() == ';' || line.front() == '#') continue;
    if (line.front() == '[') {
      if (line.back() != ']' || line.size() < 3)
        throw Error(ErrorKind::kCredentials, where + ": a section header must look like [name]");
      sections.push_back({std::string(trim(line.substr(1, line.size() - 2))), number, {}});
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string_view::npos || trim(line.substr(0, eq)).empty())
      throw Error(ErrorKind::kCredentials, where + ": expected 'key = value', '[section]' or a comment");
    if (sections.empty())
      throw Error(ErrorKind::kCredentials, where + ": a key comes before the first [section]");
    sections.back().keys[std::string(trim(line.substr(0, eq)))] = std::string(trim(line.substr(eq + 1)));
  }
  return sections;
}

CredentialPlan plan_from_ini_file(const std::filesystem::path& file, std::string_view explicit_profile,
                                  const CredentialSources& sources) {
  const std::vector<IniSection> sections = parse_ini(read_text(file), file.string());
  std::string name(explicit_profile);
  std::string chosen_by = sources.explicit_profile_origin;
  if (name.empty()) {
    name = sources.getenv("ALIBABA_CLOUD_PROFILE").value_or("");
    chosen_by = "ALIBABA_CLOUD_PROFILE";
  }
  if (name.empty()) {
    name = "default";
    chosen_by = "the default name";
  }
  std::vector<std::string> names;
  for (const auto& section : sections) {
    if (section.name == name) {
      const std::string type = section.keys.count("type") ? section.keys.at("type") : "unset";
      return plan_for_section({section, "section [" + name + "] (type " + type + ") in " + file.string()},
                              sources);
    }
    names.push_back(section.name);
  }
  std::string message = file.string() + ": no section [" + name + "] (chosen by " + chosen_by + ")";
  if (const auto close = closest_match(name, names); !close.empty())
    message += "; did you mean [" + close + "]?";
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "[" : ", [") + n + "]";
  message += names.empty() ? "; the file has no sections" : "; sections in the file: " + list;
  throw Error(ErrorKind::kCredentials, message);
}

}  // namespace provision::api
