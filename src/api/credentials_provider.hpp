// Where signing gets its credentials: asked before every attempt, so temporary credentials can
// be renewed in the middle of a long run (refreshing_credentials.hpp) while fixed ones are
// simply handed out.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string_view>

#include "api/signing/credentials.hpp"

namespace provision::api {

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // Credentials to sign one request with now. Throws Error(kCredentials) when there are none;
  // the message never holds a secret.
  [[nodiscard]] virtual boost::asio::awaitable<Credentials> credentials() = 0;
  // The server said the credentials with this access key id expired: the next call fetches new
  // ones, unless they were renewed meanwhile (several requests may report the same keys; one
  // renewal serves them all). No-op for fixed credentials.
  virtual void invalidate(std::string_view access_key_id) { (void)access_key_id; }
  // True when credentials() may return different keys over time.
  virtual bool renews() const { return false; }
};

// Always the same credentials (environment, AK/StsToken profiles, tests).
class FixedCredentialsProvider final : public CredentialsProvider {
 public:
  explicit FixedCredentialsProvider(Credentials credentials) : credentials_(std::move(credentials)) {}
  [[nodiscard]] boost::asio::awaitable<Credentials> credentials() override;

 private:
  Credentials credentials_;
};

}  // namespace provision::api
