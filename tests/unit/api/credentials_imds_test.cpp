// EcsRamRole profiles and the metadata-service client against a scripted server on 127.0.0.1.
#include <doctest/doctest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <map>
#include <mutex>

#include "api/credential_plan.hpp"
#include "api/credential_providers.hpp"
#include "api/credentials_chain.hpp"
#include "api/imds_credentials.hpp"
#include "api/imds_request.hpp"
#include "core/error.hpp"
#include "credential_sources_fixture.hpp"
#include "run_coroutine.hpp"
#include "support/scripted_server.hpp"

using namespace provision;
using namespace provision::api;
using provision::test::contains;

namespace {

// The ECS metadata service: the scripted server over plain HTTP, answering "METHOD /path"
// with the raw response routed there (a 404 otherwise) and closing each connection after
// it, or never answering once hang() was called.
class ImdsTestServer {
 public:
  void route(const std::string& method_and_path, std::string raw_response) {
    std::lock_guard lock(mutex_);
    routes_[method_and_path] = std::move(raw_response);
  }
  static std::string reply(int status, const std::string& body) {
    return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
  }
  void hang() { hang_ = true; }

  std::uint16_t port() const { return server_.port(); }
  // Every request head received so far ("PUT /latest/api/token HTTP/1.1\r\nHost: ...").
  std::vector<std::string> requests() const {
    std::vector<std::string> heads;
    for (const auto& r : server_.received()) heads.push_back(r.head);
    return heads;
  }

 private:
  provision::test::TestReply answer(const provision::test::TestRequest& request) {
    if (hang_) return provision::test::TestReply::silence();
    std::lock_guard lock(mutex_);
    const auto it = routes_.find(request.method + " " + request.target);
    return provision::test::TestReply::raw(it != routes_.end() ? it->second : reply(404, "not found"), true);
  }

  std::mutex mutex_;
  std::map<std::string, std::string> routes_;
  std::atomic<bool> hang_{false};
  provision::test::ScriptedServer server_{
      [this](const provision::test::TestRequest& r, int) { return answer(r); }, {.tls = false}};
};

const std::string kConfig =
    (std::filesystem::path(PROVISION_TEST_DATA_DIR) / "credentials" / "config.json").string();
const std::string kRoles = "/latest/meta-data/ram/security-credentials/";
const std::string kGoodBody =
    R"({"AccessKeyId":"STS.imds-id","AccessKeySecret":"SECRET-imds","SecurityToken":"TOKEN-imds",)"
    R"("Expiration":"2026-11-26T12:00:00Z","LastUpdated":"2026-11-26T06:00:00Z","Code":"Success"})";

CredentialSources sources_for(const ImdsTestServer& server, std::map<std::string, std::string> env = {}) {
  env["ALIBABA_CLOUD_CONFIG_FILE"] = kConfig;
  CredentialSources s = provision::test::sources(std::move(env));
  s.imds.port = server.port();
  s.imds.timeout = std::chrono::milliseconds(300);
  return s;
}

// The credentials error, which must name no secret, token or metadata token.
std::string failure(std::string_view profile, const CredentialSources& s) {
  const std::string m = provision::test::credentials_failure(profile, s);
  for (const char* secret : {"SECRET-", "TOKEN-", "imds-token-value"}) CHECK_FALSE(contains(m, secret));
  return m;
}

}  // namespace

TEST_CASE("EcsRamRole: IMDSv2 token, then role discovery, then credentials") {
  ImdsTestServer server;
  server.route("PUT /latest/api/token", ImdsTestServer::reply(200, "imds-token-value"));
  server.route("GET " + kRoles, ImdsTestServer::reply(200, "discovered-role\n"));
  server.route("GET " + kRoles + "discovered-role", ImdsTestServer::reply(200, kGoodBody));
  const auto c = resolve_credentials("ecs-discover", sources_for(server));
  CHECK(c.access_key_id == "STS.imds-id");
  CHECK(c.access_key_secret == "SECRET-imds");
  CHECK(c.security_token == "TOKEN-imds");
  CHECK(contains(c.source, "role 'discovered-role'"));
  const auto requests = server.requests();
  REQUIRE(requests.size() == 3);
  CHECK(contains(requests[0], "X-aliyun-ecs-metadata-token-ttl-seconds: 21600"));
  CHECK(contains(requests[1], "X-aliyun-ecs-metadata-token: imds-token-value"));
  CHECK(contains(requests[2], "X-aliyun-ecs-metadata-token: imds-token-value"));
}

TEST_CASE("EcsRamRole: a role name in the profile skips discovery") {
  ImdsTestServer server;
  server.route("PUT /latest/api/token", ImdsTestServer::reply(200, "imds-token-value"));
  server.route("GET " + kRoles + "provision-role", ImdsTestServer::reply(200, kGoodBody));
  CHECK(resolve_credentials("ecs", sources_for(server)).access_key_id == "STS.imds-id");
  CHECK(server.requests().size() == 2);
}

TEST_CASE("EcsRamRole: without a token the client falls back to IMDSv1 unless that is disabled") {
  ImdsTestServer server;
  server.route("PUT /latest/api/token", ImdsTestServer::reply(403, "forbidden"));
  server.route("GET " + kRoles + "provision-role", ImdsTestServer::reply(200, kGoodBody));
  CHECK(resolve_credentials("ecs", sources_for(server)).access_key_id == "STS.imds-id");
  const auto requests = server.requests();
  REQUIRE(requests.size() == 2);
  CHECK_FALSE(contains(requests[1], "X-aliyun-ecs-metadata-token:"));

  const auto m = failure("ecs", sources_for(server, {{"ALIBABA_CLOUD_IMDSV1_DISABLED", "true"}}));
  CHECK(contains(m, "profile 'ecs' (mode EcsRamRole)"));
  CHECK(contains(m, "HTTP 403"));
  CHECK(contains(m, "ALIBABA_CLOUD_IMDSV1_DISABLED=true"));
}

TEST_CASE("EcsRamRole: every failure is a clear credentials error without secrets") {
  SUBCASE("role credentials not Success") {
    ImdsTestServer server;
    server.route("GET " + kRoles + "provision-role",
                 ImdsTestServer::reply(200, R"({"Code":"Failed","AccessKeySecret":"SECRET-leak"})"));
    CHECK(contains(failure("ecs", sources_for(server)), "Code is 'Failed', expected 'Success'"));
  }
  SUBCASE("a field is missing") {
    ImdsTestServer server;
    server.route(
        "GET " + kRoles + "provision-role",
        ImdsTestServer::reply(200, R"({"Code":"Success","AccessKeyId":"a","AccessKeySecret":"SECRET-x"})"));
    CHECK(contains(failure("ecs", sources_for(server)), "the response has no SecurityToken"));
  }
  SUBCASE("not JSON") {
    ImdsTestServer server;
    server.route("GET " + kRoles + "provision-role", ImdsTestServer::reply(200, "SECRET-garbage {"));
    CHECK(contains(failure("ecs", sources_for(server)), "not a JSON object"));
  }
  SUBCASE("HTTP 404 for the role") {
    ImdsTestServer server;
    const auto m = failure("ecs", sources_for(server));
    CHECK(contains(m, "getting credentials for RAM role 'provision-role'"));
    CHECK(contains(m, "returned HTTP 404"));
  }
  SUBCASE("no role attached") {
    ImdsTestServer server;
    server.route("GET " + kRoles, ImdsTestServer::reply(200, ""));
    CHECK(contains(failure("ecs-discover", sources_for(server)), "reports no RAM role attached"));
  }
  SUBCASE("truncated response") {
    ImdsTestServer server;
    server.route("GET " + kRoles + "provision-role",
                 "HTTP/1.1 200 OK\r\nContent-Length: "
                 "500\r\n\r\n{\"Code\":\"Success\",\"AccessKeySecret\":\"SECRET-cut");
    CHECK(contains(failure("ecs", sources_for(server)), "truncated"));
  }
  SUBCASE("a server that never answers times out") {
    ImdsTestServer server;
    server.hang();
    const auto m = failure("ecs", sources_for(server));
    CHECK(contains(m, "timed out after 300 ms"));
    CHECK(contains(m, "is this an ECS instance"));
  }
  SUBCASE("connection refused") {
    std::uint16_t closed_port = 0;
    {
      ImdsTestServer gone;
      closed_port = gone.port();
    }
    ImdsTestServer server;
    auto s = sources_for(server);
    s.imds.port = closed_port;
    CHECK(contains(failure("ecs", s), "127.0.0.1:" + std::to_string(closed_port)));
  }
  SUBCASE("disabled by the environment") {
    ImdsTestServer server;
    CHECK(contains(failure("ecs", sources_for(server, {{"ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"}})),
                   "ALIBABA_CLOUD_ECS_METADATA_DISABLED=true"));
    CHECK(server.requests().empty());
  }
}

TEST_CASE("imds_request: chunked bodies, status codes, malformed responses") {
  ImdsTestServer server;
  server.route("GET /chunked",
               "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  server.route("GET /eof", "HTTP/1.1 201 Created\r\nConnection: close\r\n\r\nuntil-eof");
  server.route("GET /bad", "SSH-2.0-OpenSSH\r\n\r\n");
  server.route("GET /empty", "");
  const ImdsEndpoint endpoint{"127.0.0.1", server.port(), std::chrono::milliseconds(300)};
  const auto chunked = imds_request(endpoint, "GET", "/chunked");
  CHECK(chunked.status == 200);
  CHECK(chunked.body == "hello world");
  const auto eof = imds_request(endpoint, "GET", "/eof");
  CHECK(eof.status == 201);
  CHECK(eof.body == "until-eof");
  CHECK(imds_request(endpoint, "GET", "/missing").status == 404);
  CHECK_THROWS_WITH_AS(imds_request(endpoint, "GET", "/bad"), doctest::Contains("malformed status line"),
                       Error);
  CHECK_THROWS_WITH_AS(imds_request(endpoint, "GET", "/empty"),
                       doctest::Contains("closed without a response"), Error);
  const ImdsEndpoint not_ipv4{"localhost", server.port(), std::chrono::milliseconds(300)};
  CHECK_THROWS_WITH_AS(imds_request(not_ipv4, "GET", "/eof"), doctest::Contains("not an IPv4 address"),
                       Error);
}

TEST_CASE("EcsRamRole: the provider renews instance role credentials from their Expiration") {
  ImdsTestServer server;
  server.route("PUT /latest/api/token", ImdsTestServer::reply(200, "imds-token-value"));
  server.route("GET " + kRoles + "provision-role", ImdsTestServer::reply(200, kGoodBody));
  const CredentialPlan plan = resolve_credential_plan("ecs", sources_for(server));
  REQUIRE(std::holds_alternative<EcsRolePlan>(plan.how));
  CHECK(server.requests().empty());  // planning asks nothing

  boost::asio::io_context io;
  OsRandom random;
  // Expiration 12:00:00; obtained at 06:00:00, so renewal is due at 11:57:00.
  FixedClock clock(*parse_iso8601_utc("2026-11-26T06:00:00Z"));
  StsContext context;
  context.clock = &clock;
  context.random = &random;
  auto provider = make_credentials_provider(plan, context);
  CHECK(provider->renews());
  CHECK(provision::test::run_coroutine(io, provider->credentials()).access_key_id == "STS.imds-id");
  const auto after_first = server.requests().size();
  clock.advance(std::chrono::hours(5) + std::chrono::minutes(56));
  provision::test::run_coroutine(io, provider->credentials());
  CHECK(server.requests().size() == after_first);  // still valid for 4 minutes: reused
  clock.advance(std::chrono::minutes(1));
  provision::test::run_coroutine(io, provider->credentials());
  CHECK(server.requests().size() == 2 * after_first);  // renewed 180 s before Expiration
}
