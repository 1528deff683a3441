// The Ray-cluster operations: pure request builders and response readers, and the
// sign-send-retry loop shared by all of them (no Beast here; see https_client.cpp).
#include "api/ray_cluster_client.hpp"

#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/request_body.hpp"
#include "api/signing/acs3_signer.hpp"
#include "core/percent_encoding.hpp"

namespace provision::api {

namespace {

using SteadyClock = std::chrono::steady_clock;

// The gateway's answer to an STS token past its expiration.
constexpr std::string_view kExpiredTokenCode = "InvalidSecurityToken.Expired";

std::string base_path(std::string_view workspace_id) {
  return cluster_collection_path(std::string(workspace_id));
}

std::string cluster_path(std::string_view workspace_id, std::string_view cluster_id) {
  return base_path(workspace_id) + "/" + percent_encode(cluster_id);
}

ApiCall make_call(std::string operation, bool idempotent, std::string method, std::string_view host,
                  std::string path, std::string body) {
  ApiCall call;
  call.operation = std::move(operation);
  call.idempotent = idempotent;
  HttpRequestParts& p = call.parts;
  p.method = std::move(method);
  p.host = std::string(host);
  p.path = std::move(path);
  p.headers = {{"host", std::string(host)},
               {"x-acs-action", call.operation},
               {"x-acs-version", kApiVersion},
               {"accept", "application/json"},
               {"user-agent", user_agent()}};
  if (!body.empty()) p.headers.emplace_back("content-type", "application/json; charset=utf-8");
  p.body = std::move(body);
  return call;
}

std::string json_body(std::string_view key, std::string_view value) {
  boost::json::object o;
  if (!value.empty()) o[key] = value;
  return boost::json::serialize(o);
}

std::string string_field(const boost::json::object& o, std::string_view key) {
  if (const auto* v = o.if_contains(key); v && v->is_string()) return std::string(v->get_string());
  return {};
}

std::optional<std::int64_t> int_field(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v->get_uint64());
  }
  if (v->is_string()) {
    try {
      size_t used = 0;
      std::string s(v->get_string());
      long long n = std::stoll(s, &used);
      if (used == s.size()) return n;
    } catch (const std::exception&) {
    }
  }
  return std::nullopt;
}

std::string header_value(const HeaderList& headers, std::string_view name) {
  auto v = find_header(headers, name);
  return v ? std::string(*v) : std::string();
}

ApiFailure from_transport(const ApiCall& call, const std::string& host, const TransportError& e) {
  FailureKind kind = e.tls_refused ? FailureKind::kFinal : FailureKind::kRetryable;
  if (e.request_may_have_arrived) {
    kind = (e.response_unusable && call.idempotent) ? FailureKind::kFinal : FailureKind::kAmbiguous;
  }
  return transport_failure(call.operation, host, kind, e.reason, e.hint);
}

// A 2xx whose body cannot be used: harmless for reads, unknown effect for writes.
ApiFailure bad_success_body(const ApiCall& call, const std::string& host, int status,
                            const HeaderList& headers, const std::string& why) {
  FailureKind kind = call.idempotent ? FailureKind::kFinal : FailureKind::kAmbiguous;
  ApiFailure f = transport_failure(call.operation, host, kind, why);
  f.http_status = status;
  f.request_id = header_value(headers, "x-acs-request-id");
  update_message(f);
  return f;
}

std::string request_id_of(const boost::json::object& o) {
  std::string id = string_field(o, "requestId");
  return id.empty() ? string_field(o, "RequestId") : id;
}

}  // namespace

// Note for every coroutine here: GCC 12 bit-copies aggregate temporaries built inside
// co_await/co_return expressions (chriskohlhoff/asio#1073), so results are named first.

ApiCall create_ray_cluster_call(std::string_view host, std::string_view workspace_id, std::string body) {
  return make_call("CreateRayCluster", false, "POST", host, base_path(workspace_id), std::move(body));
}

ApiCall list_ray_cluster_call(std::string_view host, std::string_view workspace_id, int page_num,
                              int page_size) {
  ApiCall call = make_call("ListRayCluster", true, "GET", host, base_path(workspace_id), "");
  call.parts.query = {{"pageNum", std::to_string(page_num)}, {"pageSize", std::to_string(page_size)}};
  return call;
}

ApiCall get_ray_cluster_call(std::string_view host, std::string_view workspace_id,
                             std::string_view cluster_id) {
  return make_call("GetRayCluster", true, "GET", host, cluster_path(workspace_id, cluster_id), "");
}

ApiCall update_ray_cluster_call(std::string_view host, std::string_view workspace_id,
                                std::string_view cluster_id, std::string body) {
  return make_call("UpdateRayCluster", false, "POST", host, cluster_path(workspace_id, cluster_id),
                   std::move(body));
}

ApiCall delete_ray_cluster_call(std::string_view host, std::string_view workspace_id,
                                std::string_view cluster_id) {
  return make_call("DeleteRayCluster", false, "DELETE", host, cluster_path(workspace_id, cluster_id), "");
}

ApiCall start_ray_cluster_call(std::string_view host, std::string_view workspace_id,
                               std::string_view cluster_id, std::string_view client_token) {
  return make_call("StartRayCluster", false, "POST", host, cluster_path(workspace_id, cluster_id) + "/start",
                   json_body("clientToken", client_token));
}

ApiCall stop_ray_cluster_call(std::string_view host, std::string_view workspace_id,
                              std::string_view cluster_id, std::string_view instance_id) {
  return make_call("StopRayCluster", false, "POST", host, cluster_path(workspace_id, cluster_id) + "/stop",
                   json_body("instanceId", instance_id));
}

std::string uuid_v4(Random& random) {
  std::uint64_t hi = random.next();
  std::uint64_t lo = random.next();
  hi = (hi & ~std::uint64_t{0xF000}) | 0x4000;                           // version 4
  lo = (lo & ~(std::uint64_t{0xC} << 60)) | (std::uint64_t{0x8} << 60);  // variant 10xx
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 32; ++i) {
    std::uint64_t word = i < 16 ? hi : lo;
    int shift = 60 - 4 * (i % 16);
    out += kHex[(word >> shift) & 0xF];
    if (i == 7 || i == 11 || i == 15 || i == 19) out += '-';
  }
  return out;
}

std::string user_agent() { return std::string("provision/") + PROVISION_VERSION; }

std::optional<ClusterInfo> cluster_info_from_json(const boost::json::object& o) {
  ClusterInfo info;
  info.cluster_id = string_field(o, "clusterId");
  if (info.cluster_id.empty()) return std::nullopt;
  info.name = string_field(o, "name");
  info.state = string_field(o, "state");
  info.message = string_field(o, "message");
  info.dashboard_url = string_field(o, "dashboardUrl");
  info.instance_id = string_field(o, "instanceId");
  if (const auto* m = o.if_contains("modified"); m && m->is_bool()) info.modified = m->get_bool();
  info.create_time = int_field(o, "createTime");
  info.modified_time = int_field(o, "modifiedTime");
  info.raw = o;
  return info;
}

std::string wire_target(const HttpRequestParts& parts) {
  std::string query = encode_query_string(parts.query);
  return query.empty() ? parts.path : parts.path + "?" + query;
}

RayClusterClient::RayClusterClient(HttpsClient& transport, Endpoint endpoint, Credentials credentials,
                                   const provision::Clock& clock, Random& random,
                                   RayClusterClientOptions options)
    : RayClusterClient(transport, std::move(endpoint),
                       std::make_shared<FixedCredentialsProvider>(std::move(credentials)), clock, random,
                       options) {}

RayClusterClient::RayClusterClient(HttpsClient& transport, Endpoint endpoint,
                                   std::shared_ptr<CredentialsProvider> credentials,
                                   const provision::Clock& clock, Random& random,
                                   RayClusterClientOptions options)
    : transport_(transport),
      endpoint_(std::move(endpoint)),
      credentials_(std::move(credentials)),
      clock_(clock),
      random_(random),
      options_(options) {
  if (options_.list_page_size < 1 || options_.list_page_size > kMaxPageSize)
    options_.list_page_size = kMaxPageSize;
}

ApiFailure RayClusterClient::invalid_argument(const char* operation, const std::string& what) const {
  return transport_failure(operation, endpoint_.authority(), FailureKind::kFinal,
                           what + " is empty; nothing was sent");
}

boost::asio::awaitable<Outcome<boost::json::object>> RayClusterClient::execute(ApiCall call) {
  const std::string host = endpoint_.authority();
  const auto deadline = SteadyClock::now() + options_.call_timeout;
  bool renewed_expired = false;
  for (int attempt = 1;; ++attempt) {
    HttpRequestParts parts = call.parts;
    const Credentials credentials = co_await credentials_->credentials();
    sign_request(parts, credentials, clock_, random_);  // new date and nonce per attempt
    HttpRequest wire{parts.method, wire_target(parts), std::move(parts.headers), std::move(parts.body)};
    TransportResult result = co_await transport_.send(endpoint_, std::move(wire), deadline);

    std::optional<ApiFailure> failure;
    AttemptFailure attempt_failure;
    attempt_failure.idempotent = call.idempotent;
    if (const auto* error = std::get_if<TransportError>(&result)) {
      failure = from_transport(call, host, *error);
    } else {
      const auto& response = std::get<HttpResponse>(result);
      if (response.status >= 200 && response.status < 300) {
        if (response.body.empty()) co_return boost::json::object{};
        boost::system::error_code ec;
        boost::json::value doc = boost::json::parse(response.body, ec);
        if (!ec && doc.is_object()) co_return std::move(doc.get_object());
        ApiFailure f = bad_success_body(call, host, response.status, response.headers,
                                        "the response body is not a JSON object");
        f.attempts = attempt;
        update_message(f);
        co_return f;
      }
      failure = http_failure(call.operation, host, response.status, response.headers, response.body,
                             call.idempotent);
      attempt_failure.server_wait = server_wait_hint(response.headers, clock_);
      // Refused before anything was done: renewing the credentials and sending again is safe.
      if (failure->code == kExpiredTokenCode && credentials_->renews() && !renewed_expired) {
        renewed_expired = true;
        credentials_->invalidate(credentials.access_key_id);
        continue;
      }
    }
    attempt_failure.kind = failure->kind;
    attempt_failure.throttled = failure->throttled;
    RetryDecision decision = decide_retry(options_.retry, attempt_failure, attempt, random_);
    if (!decision.retry || SteadyClock::now() + decision.delay >= deadline) {
      failure->attempts = attempt;
      update_message(*failure);
      co_return std::move(*failure);
    }
    co_await transport_.sleep_for(decision.delay);
  }
}

boost::asio::awaitable<Outcome<CreateResult>> RayClusterClient::create_ray_cluster(std::string workspace_id,
                                                                                   std::string body) {
  if (workspace_id.empty()) co_return invalid_argument("CreateRayCluster", "the workspace id");
  ApiCall call = create_ray_cluster_call(endpoint_.authority(), workspace_id, std::move(body));
  auto r = co_await execute(call);
  if (!r) co_return r.failure();
  CreateResult out{string_field(r.value(), "clusterId"), request_id_of(r.value())};
  if (out.cluster_id.empty()) {
    co_return bad_success_body(call, endpoint_.authority(), 200, {}, "the response has no clusterId");
  }
  co_return out;
}

boost::asio::awaitable<Outcome<std::vector<ClusterInfo>>> RayClusterClient::list_ray_clusters(
    std::string workspace_id) {
  if (workspace_id.empty()) co_return invalid_argument("ListRayCluster", "the workspace id");
  std::vector<ClusterInfo> all;
  const int size = options_.list_page_size;
  for (std::size_t page = 1; page <= options_.max_list_pages; ++page) {
    ApiCall call = list_ray_cluster_call(endpoint_.authority(), workspace_id, static_cast<int>(page), size);
    auto r = co_await execute(call);
    if (!r) co_return r.failure();
    const auto* items = r.value().if_contains("rayClusters");
    if (items == nullptr || items->is_null()) co_return all;  // no clusters: the field may be absent
    if (!items->is_array()) {
      co_return bad_success_body(call, endpoint_.authority(), 200, {}, "rayClusters is not an array");
    }
    for (const auto& item : items->get_array()) {
      std::optional<ClusterInfo> info;
      if (item.is_object()) info = cluster_info_from_json(item.get_object());
      if (!info)
        co_return bad_success_body(call, endpoint_.authority(), 200, {},
                                   "a rayClusters item has no clusterId");
      all.push_back(std::move(*info));
    }
    if (items->get_array().size() < static_cast<std::size_t>(size)) co_return all;
  }
  co_return transport_failure(
      "ListRayCluster", endpoint_.authority(), FailureKind::kFinal,
      "the listing did not end after " + std::to_string(options_.max_list_pages) + " full pages");
}

boost::asio::awaitable<Outcome<ClusterInfo>> RayClusterClient::get_ray_cluster(std::string workspace_id,
                                                                               std::string cluster_id) {
  if (workspace_id.empty()) co_return invalid_argument("GetRayCluster", "the workspace id");
  if (cluster_id.empty()) co_return invalid_argument("GetRayCluster", "the cluster id");
  ApiCall call = get_ray_cluster_call(endpoint_.authority(), workspace_id, cluster_id);
  auto r = co_await execute(call);
  if (!r) co_return r.failure();
  auto info = cluster_info_from_json(r.value());
  if (!info)
    co_return bad_success_body(call, endpoint_.authority(), 200, {}, "the response has no clusterId");
  co_return std::move(*info);
}

boost::asio::awaitable<Outcome<UpdateResult>> RayClusterClient::update_ray_cluster(std::string workspace_id,
                                                                                   std::string cluster_id,
                                                                                   std::string body) {
  if (workspace_id.empty()) co_return invalid_argument("UpdateRayCluster", "the workspace id");
  if (cluster_id.empty()) co_return invalid_argument("UpdateRayCluster", "the cluster id");
  ApiCall call = update_ray_cluster_call(endpoint_.authority(), workspace_id, cluster_id, std::move(body));
  auto r = co_await execute(call);
  if (!r) co_return r.failure();
  std::string id = string_field(r.value(), "clusterId");
  UpdateResult out{id.empty() ? cluster_id : id, request_id_of(r.value())};
  co_return out;
}

boost::asio::awaitable<Outcome<Acknowledged>> RayClusterClient::delete_ray_cluster(std::string workspace_id,
                                                                                   std::string cluster_id) {
  if (workspace_id.empty()) co_return invalid_argument("DeleteRayCluster", "the workspace id");
  if (cluster_id.empty()) co_return invalid_argument("DeleteRayCluster", "the cluster id");
  auto r = co_await execute(delete_ray_cluster_call(endpoint_.authority(), workspace_id, cluster_id));
  if (!r) co_return r.failure();
  Acknowledged out{request_id_of(r.value())};
  co_return out;
}

boost::asio::awaitable<Outcome<StartResult>> RayClusterClient::start_ray_cluster(std::string workspace_id,
                                                                                 std::string cluster_id,
                                                                                 std::string client_token) {
  if (workspace_id.empty()) co_return invalid_argument("StartRayCluster", "the workspace id");
  if (cluster_id.empty()) co_return invalid_argument("StartRayCluster", "the cluster id");
  if (client_token.empty()) client_token = uuid_v4(random_);
  auto r =
      co_await execute(start_ray_cluster_call(endpoint_.authority(), workspace_id, cluster_id, client_token));
  if (!r) co_return r.failure();
  StartResult out{client_token, request_id_of(r.value())};
  co_return out;
}

boost::asio::awaitable<Outcome<Acknowledged>> RayClusterClient::stop_ray_cluster(std::string workspace_id,
                                                                                 std::string cluster_id,
                                                                                 std::string instance_id) {
  if (workspace_id.empty()) co_return invalid_argument("StopRayCluster", "the workspace id");
  if (cluster_id.empty()) co_return invalid_argument("StopRayCluster", "the cluster id");
  auto r =
      co_await execute(stop_ray_cluster_call(endpoint_.authority(), workspace_id, cluster_id, instance_id));
  if (!r) co_return r.failure();
  Acknowledged out{request_id_of(r.value())};
  co_return out;
}

}  // namespace provision::api
