// Reading STS answers: the temporary credentials of a successful AssumeRole /
// AssumeRoleWithOIDC, with their expiration.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <variant>

#include "api/signing/credentials.hpp"

namespace provision::api {

// Credentials that stop working at `expiration` (server time, UTC).
struct TemporaryCredentials {
  Credentials credentials;
  std::chrono::system_clock::time_point expiration;
};

// From a 2xx body {"Credentials":{AccessKeyId,AccessKeySecret,SecurityToken,Expiration}, ...}.
// `source` becomes Credentials::source. Otherwise a reason that names the missing or malformed
// field and never quotes the body (it holds secrets).
std::variant<TemporaryCredentials, std::string> parse_sts_credentials(std::string_view body,
                                                                      const std::string& source);

}  // namespace provision::api
