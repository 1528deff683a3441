// The seven Ray-cluster operations of EMR Serverless Spark 2023-08-08 as typed
// coroutines over HttpsClient: each call is signed afresh per attempt, retried
// when safe, and ends in a typed result or an ApiFailure (never an exception for
// API or network trouble). Request construction is pure and exposed for tests.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/credentials_provider.hpp"
#include "api/https_client.hpp"
#include "api/ray_cluster_types.hpp"
#include "api/retry_policy.hpp"
#include "api/signing/credentials.hpp"
#include "api/signing/http_request_parts.hpp"
#include "core/clock.hpp"

namespace provision::api {

inline constexpr const char* kApiVersion = "2023-08-08";
inline constexpr int kMaxPageSize = 100;

// One unsigned request and how it may be retried.
struct ApiCall {
  std::string operation;    // x-acs-action, e.g. "GetRayCluster"
  bool idempotent = false;  // GET/List: safe to repeat when the outcome is unknown
  HttpRequestParts parts;   // method, host, encoded path, query, headers (unsigned), body
};

// Pure builders: method, path (ids RFC 3986-encoded), query, body and the headers
// x-acs-action, x-acs-version, accept, user-agent and (only with a body) content-type.
// `host` is the endpoint authority ("host" or "host:port").
ApiCall create_ray_cluster_call(std::string_view host, std::string_view workspace_id, std::string body);
ApiCall list_ray_cluster_call(std::string_view host, std::string_view workspace_id, int page_num,
                              int page_size);
ApiCall get_ray_cluster_call(std::string_view host, std::string_view workspace_id,
                             std::string_view cluster_id);
ApiCall update_ray_cluster_call(std::string_view host, std::string_view workspace_id,
                                std::string_view cluster_id, std::string body);
ApiCall delete_ray_cluster_call(std::string_view host, std::string_view workspace_id,
                                std::string_view cluster_id);
ApiCall start_ray_cluster_call(std::string_view host, std::string_view workspace_id,
                               std::string_view cluster_id, std::string_view client_token);
ApiCall stop_ray_cluster_call(std::string_view host, std::string_view workspace_id,
                              std::string_view cluster_id, std::string_view instance_id);

// A random RFC 4122 version-4 UUID (lower case): the clientToken of one logical start.
std::string uuid_v4(Random& random);

// "provision/<version>".
std::string user_agent();

// ClusterInfo from a GetRayCluster body or a ListRayCluster item; nullopt without clusterId.
std::optional<ClusterInfo> cluster_info_from_json(const boost::json::object& object);

// The request target for the wire: path plus "?" and the encoded query when there is one.
std::string wire_target(const HttpRequestParts& parts);

struct RayClusterClientOptions {
  RetryOptions retry;
  std::chrono::milliseconds call_timeout{120'000};  // per operation, retries and waits included
  int list_page_size = kMaxPageSize;                // 1..100
  std::size_t max_list_pages = 1000;                // guards against a server that never ends a listing
};

// Thread-compatible like HttpsClient: use from its io_context thread; calls may overlap.
class RayClusterClient {
 public:
  // `transport`, `clock` and `random` must outlive the client.
  RayClusterClient(HttpsClient& transport, Endpoint endpoint, Credentials credentials, const Clock& clock,
                   Random& random, RayClusterClientOptions options = {});
  // Credentials asked from `credentials` before every attempt (renewed temporary ones too).
  RayClusterClient(HttpsClient& transport, Endpoint endpoint,
                   std::shared_ptr<CredentialsProvider> credentials, const Clock& clock, Random& random,
                   RayClusterClientOptions options = {});

  [[nodiscard]] boost::asio::awaitable<Outcome<CreateResult>> create_ray_cluster(std::string workspace_id,
                                                                                 std::string body);
  // Every page, until a short one.
  [[nodiscard]] boost::asio::awaitable<Outcome<std::vector<ClusterInfo>>> list_ray_clusters(
      std::string workspace_id);
  [[nodiscard]] boost::asio::awaitable<Outcome<ClusterInfo>> get_ray_cluster(std::string workspace_id,
                                                                             std::string cluster_id);
  [[nodiscard]] boost::asio::awaitable<Outcome<UpdateResult>> update_ray_cluster(std::string workspace_id,
                                                                                 std::string cluster_id,
                                                                                 std::string body);
  [[nodiscard]] boost::asio::awaitable<Outcome<Acknowledged>> delete_ray_cluster(std::string workspace_id,
                                                                                 std::string cluster_id);
  // An empty client_token makes a fresh one (returned in StartResult) for a new logical start.
  [[nodiscard]] boost::asio::awaitable<Outcome<StartResult>> start_ray_cluster(std::string workspace_id,
                                                                               std::string cluster_id,
                                                                               std::string client_token = {});
  // instance_id is ClusterInfo::instance_id; empty sends "{}".
  [[nodiscard]] boost::asio::awaitable<Outcome<Acknowledged>> stop_ray_cluster(std::string workspace_id,
                                                                               std::string cluster_id,
                                                                               std::string instance_id = {});

  // Signs, sends and retries one call; a 2xx body parsed as a JSON object ({} when empty).
  // InvalidSecurityToken.Expired with renewable credentials renews them and tries once more.
  // Throws Error(kCredentials) when no credentials can be had.
  [[nodiscard]] boost::asio::awaitable<Outcome<boost::json::object>> execute(ApiCall call);

  const Endpoint& endpoint() const { return endpoint_; }

 private:
  ApiFailure invalid_argument(const char* operation, const std::string& what) const;

  HttpsClient& transport_;
  Endpoint endpoint_;
  std::shared_ptr<CredentialsProvider> credentials_;
  const Clock& clock_;
  Random& random_;
  RayClusterClientOptions options_;
};

}  // namespace provision::api
