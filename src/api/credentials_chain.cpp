// The credential chain: each source either yields credentials, fails loudly, or says why it was skipped.
#include "api/credentials_chain.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "api/credentials_config_file.hpp"
#include "api/signing/http_request_parts.hpp"
#include "core/error.hpp"

namespace provision::api {
namespace {

constexpr const char* kIdVar = "ALIBABA_CLOUD_ACCESS_KEY_ID";
constexpr const char* kSecretVar = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
constexpr const char* kTokenVar = "ALIBABA_CLOUD_SECURITY_TOKEN";

std::string env_or_empty(const CredentialSources& s, std::string_view name) {
  return s.getenv(name).value_or("");
}

// Credentials from the environment, nullopt when neither variable is set.
std::optional<Credentials> from_environment(const CredentialSources& s) {
  const std::string id = env_or_empty(s, kIdVar);
  const std::string secret = env_or_empty(s, kSecretVar);
  if (id.empty() && secret.empty()) return std::nullopt;
  if (id.empty() || secret.empty()) {
    throw Error(ErrorKind::kCredentials,
                std::string(id.empty() ? kSecretVar : kIdVar) + " is set but " +
                    (id.empty() ? kIdVar : kSecretVar) +
                    " is not: set both, or unset both to use the aliyun CLI config file");
  }
  const std::string token = env_or_empty(s, kTokenVar);
  return Credentials{
      id, secret, token,
      std::string("environment (") + kIdVar + (token.empty() ? "" : std::string(", ") + kTokenVar) + ")"};
}

}  // namespace

CredentialSources process_credential_sources() {
  CredentialSources s;
  s.getenv = [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    s.home = home;
  } else {
    passwd pw{};
    passwd* found = nullptr;
    std::vector<char> buf(16384);
    if (::getpwuid_r(::getuid(), &pw, buf.data(), buf.size(), &found) == 0 && found != nullptr && pw.pw_dir) {
      s.home = pw.pw_dir;
    }
  }
  return s;
}

Credentials resolve_credentials(std::string_view explicit_profile, const CredentialSources& sources) {
  if (auto env = from_environment(sources)) return *env;
  std::vector<std::string> looked = {"environment: " + std::string(kIdVar) + " and " + kSecretVar +
                                     " are not set"};

  if (auto off = sources.getenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED"); off && ascii_lower(*off) == "true") {
    looked.push_back("aliyun CLI config file: skipped because ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true");
  } else {
    std::filesystem::path file;
    std::string origin;
    if (auto v = sources.getenv("ALIBABA_CLOUD_CONFIG_FILE"); v && !v->empty()) {
      file = *v;
      origin = " (from ALIBABA_CLOUD_CONFIG_FILE)";
    } else if (!sources.home.empty()) {
      file = sources.home / ".aliyun" / "config.json";
    }
    std::error_code ec;
    if (!file.empty() && std::filesystem::exists(file, ec)) {
      return credentials_from_config_file(file, explicit_profile, sources);
    }
    looked.push_back(
        file.empty()
            ? std::string(
                  "aliyun CLI config file: no home directory and ALIBABA_CLOUD_CONFIG_FILE is not set")
            : "aliyun CLI config file: " + file.string() + origin + " does not exist");
  }

  std::string message = "no Alibaba Cloud credentials found";
  if (!explicit_profile.empty())
    message += " (profile '" + std::string(explicit_profile) + "' was requested)";
  message += ". Looked in:";
  for (const auto& place : looked) message += "\n  - " + place;
  message += "\nSet " + std::string(kIdVar) + " and " + kSecretVar +
             ", or create a profile with `aliyun configure`.";
  throw Error(ErrorKind::kCredentials, message);
}

}  // namespace provision::api
