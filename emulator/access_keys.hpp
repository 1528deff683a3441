// The access keys the emulator accepts: --access-keys FILE, PROVISION_EMULATOR_ACCESS_KEYS,
// or the documented demo pair.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace provision::emulator {

inline constexpr std::string_view kDemoAccessKeyId = "demo-access-key-id";
inline constexpr std::string_view kDemoAccessKeySecret = "demo-access-key-secret";
inline constexpr std::string_view kAccessKeysEnv = "PROVISION_EMULATOR_ACCESS_KEYS";

struct AccessKey {
  std::string id;
  std::string secret;
  std::string security_token;  // non-empty: an STS key; requests must carry this token
  std::optional<std::chrono::system_clock::time_point> expires_at;  // keys issued by the STS endpoint
};

class AccessKeyTable {
 public:
  void add(AccessKey key) { keys_[key.id] = std::move(key); }
  const AccessKey* find(std::string_view id) const;
  std::size_t size() const { return keys_.size(); }
  // Drops issued keys that expired before `cutoff` (the table would otherwise grow forever).
  void forget_expired_before(std::chrono::system_clock::time_point cutoff);

 private:
  std::map<std::string, AccessKey, std::less<>> keys_;
};

// Entries "id:secret" or "id:secret:sts-token" separated by `separator` ('\n' for a file,
// ',' for the environment); blanks and '#' comment lines are skipped. Throws Error(kUsage)
// naming `source` and the entry number, never echoing the entry (it holds a secret).
AccessKeyTable parse_access_keys(std::string_view text, char separator, const std::string& source);

// The table a server starts with: the file if given, else the environment value if set,
// else the demo pair alone.
AccessKeyTable load_access_keys(const std::optional<std::string>& file, const char* env_value);

}  // namespace provision::emulator
