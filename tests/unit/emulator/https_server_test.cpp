// The HTTPS transport in-process: TLS, keep-alive, chunked bodies, 100-continue, size caps,
// socket-level faults, 200 concurrent connections and clean shutdown.
#include "emulator/https_server.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <thread>

#include "api/signing/acs3_signer.hpp"
#include "emulator/certificate_authority.hpp"
#include "support/temp_dir.hpp"
#include "tls_test_client.hpp"

using namespace provision;
using namespace provision::emulator;
using namespace provision::emulator::test;

namespace {

const std::string kBase = "/api/v1/workspaces/w-test1/rayCluster";
const std::string kBody =
    R"json({"name":"dev","displayReleaseVersion":"ray-1.0.0 (Ray 2.47.1, Python 3.12)","headSpec":{"cpu":"2","memory":"8Gi"},"workerSpec":[{"groupName":"g","replica":1}]})json";

// A real server on a free port, run on its own thread until the fixture ends.
class ServerFixture {
 public:
  explicit ServerFixture(HandlerSettings settings = {}, ServerSettings server_settings = {})
      : certificates_(ensure_certificates(dir_.path())),
        store_(dir_ / "clusters.json"),
        log_((dir_ / "access.log").string()),
        handler_(tweak(settings), keys(), store_, clock_, random_),
        server_(with_certificates(server_settings), handler_, &log_) {
    port_ = server_.listen();
    thread_ = std::thread([this] { server_.run(); });
  }
  ~ServerFixture() { stop(); }

  void stop() {
    if (!thread_.joinable()) return;
    server_.stop();
    thread_.join();
  }

  std::uint16_t port() const { return port_; }
  std::string ca() const { return certificates_.ca_certificate.string(); }
  ClusterStore& store() { return store_; }
  const provision::test::TempDir& dir() const { return dir_; }

  api::HttpRequestParts request(const std::string& method, const std::string& path, const std::string& action,
                                const std::string& body = "", api::NameValueList query = {}) {
    api::HttpRequestParts r;
    r.method = method;
    r.path = path;
    r.query = std::move(query);
    r.body = body;
    r.headers = {{"host", "127.0.0.1:" + std::to_string(port_)},
                 {"x-acs-version", "2023-08-08"},
                 {"x-acs-action", action},
                 {"x-acs-credentials-provider", "static_ak"}};
    if (!body.empty()) r.headers.emplace_back("content-type", "application/json; charset=utf-8");
    api::sign_request(r, {"ak", "secret-value-xyz", "", "test"}, clock_, client_random_);
    return r;
  }

 private:
  static AccessKeyTable keys() {
    AccessKeyTable t;
    t.add({"ak", "secret-value-xyz", "", std::nullopt});
    return t;
  }
  static HandlerSettings tweak(HandlerSettings s) {
    s.start_delay = std::chrono::milliseconds(0);
    return s;
  }
  ServerSettings with_certificates(ServerSettings s) const {
    s.host = "127.0.0.1";
    s.port = 0;
    s.certificate = certificates_.server_certificate;
    s.private_key = certificates_.server_key;
    return s;
  }

  provision::test::TempDir dir_;
  CertificatePaths certificates_;
  SystemClock clock_;
  OsRandom random_;
  OsRandom client_random_;
  ClusterStore store_;
  AccessLog log_;
  RequestHandler handler_;
  HttpsServer server_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

std::string json_string(const std::string& body, const char* key) {
  auto v = boost::json::parse(body);
  const auto* field = v.as_object().if_contains(key);
  return field && field->is_string() ? std::string(field->as_string()) : std::string();
}

}  // namespace

TEST_CASE("several requests on one verified keep-alive connection") {
  ServerFixture server;
  TlsClient client(server.port(), server.ca());
  client.send(wire_request(server.request("POST", kBase, "CreateRayCluster", kBody)));
  auto created = client.read_response();
  REQUIRE(created);
  CHECK(created->status == 200);
  CHECK(created->headers["content-type"] == "application/json;charset=utf-8");
  std::string id = json_string(created->body, "clusterId");
  CHECK(created->headers["x-acs-request-id"] == json_string(created->body, "requestId"));

  client.send(wire_request(server.request("GET", kBase + "/" + id, "GetRayCluster")));
  auto got = client.read_response();
  REQUIRE(got);
  CHECK(got->status == 200);
  CHECK(json_string(got->body, "state") == "Running");

  client.send(wire_request(
      server.request("GET", kBase, "ListRayCluster", "", {{"pageSize", "10"}, {"pageNum", "1"}})));
  auto listed = client.read_response();
  REQUIRE(listed);
  CHECK(listed->status == 200);
  CHECK(listed->body.find(id) != std::string::npos);
}

TEST_CASE("chunked bodies and Expect: 100-continue are accepted") {
  ServerFixture server;
  TlsClient client(server.port(), server.ca());
  client.send(wire_request(server.request("POST", kBase, "CreateRayCluster", kBody), /*chunked=*/true));
  auto chunked = client.read_response();
  REQUIRE(chunked);
  CHECK(chunked->status == 200);

  auto r = server.request("POST", kBase, "CreateRayCluster", kBody);
  r.headers.emplace_back("Expect", "100-continue");
  std::string bytes = wire_request(r);
  std::size_t head = bytes.find("\r\n\r\n") + 4;
  client.send(bytes.substr(0, head));
  auto interim = client.read_response();
  REQUIRE(interim);
  CHECK(interim->status == 100);
  client.send(bytes.substr(head));
  auto final_response = client.read_response();
  REQUIRE(final_response);
  CHECK(final_response->status == 200);
  CHECK(server.store().size() == 2);
}

TEST_CASE("hostile sizes are refused without reading them") {
  ServerSettings caps;
  caps.max_body_bytes = 4096;
  ServerFixture server({}, caps);
  {
    TlsClient client(server.port(), server.ca());
    client.send("POST " + kBase + " HTTP/1.1\r\nhost: x\r\ncontent-length: 100000\r\n\r\n");
    auto r = client.read_response();
    REQUIRE(r);
    CHECK(r->status == 413);
    CHECK(json_string(r->body, "Code") == "RequestEntityTooLarge");
    CHECK(client.closed());
  }
  {
    TlsClient client(server.port(), server.ca());
    client.send("GET / HTTP/1.1\r\nhost: x\r\nx-big: " + std::string(20000, 'a') + "\r\n\r\n");
    auto r = client.read_response();
    REQUIRE(r);
    CHECK(r->status == 431);
  }
  {
    TlsClient client(server.port(), server.ca());
    client.send("NOT HTTP AT ALL\r\n\r\n");
    auto r = client.read_response();
    REQUIRE(r);
    CHECK(r->status == 400);
  }
}

TEST_CASE("the certificate is verified for 127.0.0.1 and localhost only, and only with its CA") {
  ServerFixture server;
  CHECK_NOTHROW(TlsClient(server.port(), server.ca(), "127.0.0.1"));
  CHECK_NOTHROW(TlsClient(server.port(), server.ca(), "localhost"));
  CHECK_THROWS_AS(TlsClient(server.port(), server.ca(), "example.com"), std::runtime_error);
  provision::test::TempDir other;
  auto other_ca = write_certificate_bundle(other.path(), make_certificate_bundle()).ca_certificate;
  CHECK_THROWS_AS(TlsClient(server.port(), other_ca.string()), std::runtime_error);
}

TEST_CASE("reset and drop-after-commit close the connection without an answer") {
  // The fault, and the clusters kept: a drop after the commit keeps the new cluster.
  const std::pair<FaultKind, std::size_t> cases[] = {{FaultKind::kReset, 0},
                                                     {FaultKind::kDropAfterCommit, 1}};
  for (const auto& [kind, kept] : cases) {
    CAPTURE(static_cast<int>(kind));
    HandlerSettings settings;
    settings.faults = {1.0, {kind}, 1};
    ServerFixture server(settings);
    TlsClient client(server.port(), server.ca());
    client.send(wire_request(server.request("POST", kBase, "CreateRayCluster", kBody)));
    CHECK_FALSE(client.read_response());
    server.stop();
    CHECK(server.store().size() == kept);
    ClusterStore reloaded(server.dir() / "clusters.json");
    reloaded.load();
    CHECK(reloaded.size() == kept);
  }
}

TEST_CASE("a slow answer arrives after the delay, or at once when the server stops") {
  HandlerSettings slow;
  slow.faults = {1.0, {FaultKind::kSlow}, 1};
  slow.slow_delay = std::chrono::milliseconds(100);
  ServerFixture server(slow);
  TlsClient client(server.port(), server.ca());
  client.send(wire_request(server.request("POST", kBase, "CreateRayCluster", kBody)));
  auto r = client.read_response();
  REQUIRE(r);
  CHECK(r->status == 200);
}

TEST_CASE("200 concurrent keep-alive connections are served") {
  ServerFixture server;
  std::vector<std::unique_ptr<TlsClient>> clients;
  for (int i = 0; i < 200; ++i) clients.push_back(std::make_unique<TlsClient>(server.port(), server.ca()));
  for (int round = 0; round < 2; ++round) {
    for (auto& c : clients) c->send(wire_request(server.request("GET", kBase, "ListRayCluster")));
    int ok = 0;
    for (auto& c : clients) {
      auto r = c->read_response();
      if (r && r->status == 200) ++ok;
    }
    CHECK(ok == 200);
  }
}

TEST_CASE("stop closes idle connections, finishes and keeps every committed change") {
  ServerFixture server;
  TlsClient idle(server.port(), server.ca());
  TlsClient client(server.port(), server.ca());
  client.send(wire_request(server.request("POST", kBase, "CreateRayCluster", kBody)));
  REQUIRE(client.read_response());
  server.stop();  // returns only once run() has returned
  CHECK(idle.closed());
  CHECK(client.closed());
  ClusterStore reloaded(server.dir() / "clusters.json");
  reloaded.load();
  CHECK(reloaded.size() == 1);
}

TEST_CASE("the access log has one JSON line per request and no secrets") {
  HandlerSettings faulty;
  faulty.faults = {1.0, {FaultKind::kUnavailable}, 1};
  ServerFixture server(faulty);
  {
    TlsClient client(server.port(), server.ca());
    client.send(wire_request(server.request("POST", kBase, "CreateRayCluster", kBody)));
    REQUIRE(client.read_response());
    client.send(wire_request(server.request("GET", kBase, "ListRayCluster")));
    REQUIRE(client.read_response());
  }
  server.stop();
  std::string log = provision::test::read_file(server.dir() / "access.log");
  std::vector<boost::json::object> lines;
  for (std::size_t start = 0; start < log.size();) {
    std::size_t end = log.find('\n', start);
    lines.push_back(boost::json::parse(log.substr(start, end - start)).as_object());
    start = end + 1;
  }
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].at("action").as_string() == "CreateRayCluster");
  CHECK(lines[0].at("method").as_string() == "POST");
  CHECK(lines[0].at("path").as_string() == kBase);
  CHECK(lines[0].at("status").as_int64() == 503);
  CHECK(lines[0].at("code").as_string() == "ServiceUnavailable");
  CHECK(lines[0].at("fault").as_string() == "unavailable");
  CHECK(lines[0].contains("latency_ms"));
  CHECK(lines[0].contains("time"));
  CHECK(log.find("Signature") == std::string::npos);
  CHECK(log.find("secret-value-xyz") == std::string::npos);
  CHECK(log.find("Credential") == std::string::npos);
}
