// An access key (optionally an STS token) and where it came from; the input of signing.
#pragma once

#include <string>

namespace provision::api {

// Never print access_key_secret or security_token; `source` is for messages only.
struct Credentials {
  std::string access_key_id;
  std::string access_key_secret;
  std::string security_token;  // empty = not STS
  std::string source;  // where they came from, e.g. "environment", "profile 'dev' in ~/.aliyun/config.json"

  bool is_sts() const { return !security_token.empty(); }
};

}  // namespace provision::api
