// Parsing the id:secret[:token] lists.
#include "emulator/access_keys.hpp"

#include "core/error.hpp"
#include "emulator/atomic_file.hpp"

namespace provision::emulator {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

const AccessKey* AccessKeyTable::find(std::string_view id) const {
  auto it = keys_.find(id);
  return it == keys_.end() ? nullptr : &it->second;
}

void AccessKeyTable::forget_expired_before(std::chrono::system_clock::time_point cutoff) {
  for (auto it = keys_.begin(); it != keys_.end();) {
    if (it->second.expires_at && *it->second.expires_at < cutoff) {
      it = keys_.erase(it);
    } else {
      ++it;
    }
  }
}

AccessKeyTable parse_access_keys(std::string_view text, char separator, const std::string& source) {
  AccessKeyTable table;
  std::size_t start = 0;
  int number = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view entry = trim(text.substr(start, end - start));
    start = end + 1;
    ++number;
    if (entry.empty() || entry.front() == '#') continue;
    const std::string where = source + ": entry " + std::to_string(number);
    std::size_t colon = entry.find(':');
    if (colon == std::string_view::npos || colon == 0)
      throw Error(ErrorKind::kUsage, where + ": expected id:secret or id:secret:sts-token");
    AccessKey key{std::string(entry.substr(0, colon)), std::string(entry.substr(colon + 1)), "",
                  std::nullopt};
    if (std::size_t second = key.secret.find(':'); second != std::string::npos) {
      key.security_token = key.secret.substr(second + 1);
      key.secret.resize(second);
      if (key.security_token.empty()) throw Error(ErrorKind::kUsage, where + ": the STS token is empty");
    }
    if (key.secret.empty()) throw Error(ErrorKind::kUsage, where + ": the secret is empty");
    if (table.find(key.id))
      throw Error(ErrorKind::kUsage, where + ": access key id '" + key.id + "' repeats");
    table.add(std::move(key));
  }
  if (table.size() == 0) throw Error(ErrorKind::kUsage, source + ": no access keys");
  return table;
}

AccessKeyTable load_access_keys(const std::optional<std::string>& file, const char* env_value) {
  if (file) {
    auto text = read_file_if_exists(*file);
    if (!text) throw Error(ErrorKind::kUsage, "--access-keys: file not found: " + *file);
    return parse_access_keys(*text, '\n', *file);
  }
  if (env_value && *env_value) return parse_access_keys(env_value, ',', std::string(kAccessKeysEnv));
  AccessKeyTable demo;
  demo.add({std::string(kDemoAccessKeyId), std::string(kDemoAccessKeySecret), "", std::nullopt});
  return demo;
}

}  // namespace provision::emulator
