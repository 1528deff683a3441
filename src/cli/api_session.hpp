// Everything a command needs to call the API: one io_context, one HTTPS transport
// (keep-alive connections shared by every cluster), the credentials, and one
// client per endpoint. Built only when a command really sends a request.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/credentials_provider.hpp"
#include "api/ray_cluster_client.hpp"
#include "cli/api_options.hpp"
#include "core/clock.hpp"

namespace boost::asio {
class io_context;
}

namespace provision::cli {

// The shared API options (cli/api_options.hpp).
std::vector<OptionSpec> api_session_options();
// --state … then --endpoint …, then the command's `own` options: every command that reads
// the state and talks to the API.
std::vector<OptionSpec> state_and_api_options(const std::vector<OptionSpec>& own = {});

class ApiSession {
 public:
  // Resolves credentials now, and for a role also fetches the first temporary credentials, so
  // a refused token or an unreachable STS stops the command before any work (Error(kCredentials)).
  ApiSession(const ApiOptions& options, const Clock& clock, Random& random);
  ~ApiSession();
  ApiSession(const ApiSession&) = delete;
  ApiSession& operator=(const ApiSession&) = delete;

  boost::asio::io_context& io() { return *io_; }
  // The client for a region's endpoint (or the --endpoint override).
  api::RayClusterClient& client_for(const std::string& region_id);

 private:
  void fetch_first_credentials();

  std::unique_ptr<boost::asio::io_context> io_;
  std::unique_ptr<api::HttpsClient> transport_;
  ApiClientSettings settings_;
  std::shared_ptr<api::CredentialsProvider> credentials_;
  const Clock& clock_;
  Random& random_;
  std::map<std::string, std::unique_ptr<api::RayClusterClient>> clients_;  // by host:port
};

}  // namespace provision::cli
