// The seven operations over real TLS to a scripted 127.0.0.1 server that checks
// every signature: typed results, paging, retries (throttling, 503, timeouts),
// what is never retried, deadlines, and the failure messages.
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <set>

#include "api/ray_cluster_client.hpp"
#include "api/signing/acs3_signer.hpp"
#include "api_test_names.hpp"
#include "run_coroutine.hpp"
#include "support/loopback_listener.hpp"
#include "support/scripted_server.hpp"
#include "support/temp_dir.hpp"

namespace {

const Credentials kCredentials{"test-key-id", "test-key-secret", "", "test"};

// The request as the signer saw it, rebuilt from what arrived.
HttpRequestParts parts_of(const TestRequest& r) {
  HttpRequestParts p;
  p.method = r.method;
  size_t q = r.target.find('?');
  p.path = r.target.substr(0, q);
  if (q != std::string::npos) {
    std::string rest = r.target.substr(q + 1);
    while (!rest.empty()) {
      size_t amp = rest.find('&');
      std::string item = rest.substr(0, amp);
      size_t eq = item.find('=');
      p.query.emplace_back(*percent_decode(item.substr(0, eq)),
                           eq == std::string::npos ? "" : *percent_decode(item.substr(eq + 1)));
      rest = amp == std::string::npos ? "" : rest.substr(amp + 1);
    }
  }
  p.headers = r.headers;
  p.body = r.body;
  return p;
}

bool signature_ok(const TestRequest& r) {
  auto verdict = verify_signature(parts_of(r), [](std::string_view id) -> std::optional<std::string> {
    if (id == kCredentials.access_key_id) return kCredentials.access_key_secret;
    return std::nullopt;
  });
  return verdict.check == SignatureCheck::kOk;
}

std::string query_value(const TestRequest& r, const std::string& name) {
  for (const auto& [n, v] : parts_of(r).query) {
    if (n == name) return v;
  }
  return {};
}

TestReply unsigned_reply() {
  return TestReply::json(400,
                         R"({"Code":"SignatureDoesNotMatch","Message":"bad signature","RequestId":"S"})");
}

std::string cluster_json(int i) {
  return R"({"clusterId":"ray-)" + std::to_string(i) + R"(","name":"c)" + std::to_string(i) +
         R"(","state":"Running","instanceId":"ray-)" + std::to_string(i) + R"(-inst"})";
}

// Server, CA file, io_context, transport and client with fast retry settings.
struct Harness {
  explicit Harness(TestHandler handler,
                   const std::function<void(RayClusterClientOptions&, TransportOptions&)>& tweak = {})
      : server([h = std::move(handler)](const TestRequest& r, int i) {
          return signature_ok(r) ? h(r, i) : unsigned_reply();
        }),
        clock(std::chrono::system_clock::now()),
        random(99) {
    TransportOptions t;
    t.ca_file = dir.write("ca.pem", server.ca_pem()).string();
    t.read_timeout = 2000ms;
    RayClusterClientOptions o;
    o.retry.max_attempts = 3;
    o.retry.base_delay = 5ms;
    o.retry.throttle_base_delay = 5ms;
    o.retry.max_delay = 2000ms;
    o.call_timeout = 20'000ms;
    if (tweak) tweak(o, t);
    transport = std::make_unique<HttpsClient>(io, t);
    client = std::make_unique<RayClusterClient>(*transport, Endpoint("127.0.0.1", server.port()),
                                                kCredentials, clock, random, o);
  }
  template <class T>
  T run(net::awaitable<T> work) {
    return run_coroutine(io, std::move(work));
  }
  std::string host() const { return "127.0.0.1:" + std::to_string(server.port()); }

  TempDir dir;
  ScriptedServer server;
  FixedClock clock;
  SeededRandom random;
  net::io_context io;
  std::unique_ptr<HttpsClient> transport;
  std::unique_ptr<RayClusterClient> client;
};

}  // namespace

TEST_CASE("every operation, signed, with typed results") {
  Harness h([](const TestRequest& r, int) {
    const std::string base = "/api/v1/workspaces/w-1/rayCluster";
    std::string action = r.header("x-acs-action");
    if (action == "CreateRayCluster" && r.method == "POST" && r.target == base &&
        r.body == R"({"name":"dev"})") {
      return TestReply::json(200, R"({"clusterId":"ray-new","requestId":"RC"})");
    }
    if (action == "ListRayCluster" && r.method == "GET") {
      return TestReply::json(200, R"({"requestId":"RL","rayClusters":[)" + cluster_json(1) + "]}");
    }
    if (action == "GetRayCluster" && r.method == "GET" && r.target == base + "/ray-1") {
      return TestReply::json(200, R"({"requestId":"RG",)" + cluster_json(1).substr(1));
    }
    if (action == "UpdateRayCluster" && r.method == "POST" && r.target == base + "/ray-1") {
      return TestReply::json(200, R"({"clusterId":"ray-1","requestId":"RU"})");
    }
    if (action == "DeleteRayCluster" && r.method == "DELETE" && r.target == base + "/ray-1" &&
        r.body.empty()) {
      return TestReply::json(200, R"({"requestId":"RD"})");
    }
    if (action == "StartRayCluster" && r.target == base + "/ray-1/start") {
      return TestReply::json(200, R"({"requestId":"RS"})");
    }
    if (action == "StopRayCluster" && r.target == base + "/ray-1/stop" &&
        r.body == R"({"instanceId":"ray-1-inst"})") {
      return TestReply::json(200, R"({"requestId":"RT"})");
    }
    return TestReply::json(404,
                           R"({"code":"NotFound","message":"unexpected )" + action + R"(","requestId":"X"})");
  });
  auto& c = *h.client;

  auto created = h.run(c.create_ray_cluster("w-1", R"({"name":"dev"})"));
  REQUIRE_MESSAGE(created.ok(), created.failure().message);
  CHECK(created.value().cluster_id == "ray-new");
  CHECK(created.value().request_id == "RC");

  auto listed = h.run(c.list_ray_clusters("w-1"));
  REQUIRE_MESSAGE(listed.ok(), listed.failure().message);
  REQUIRE(listed.value().size() == 1);
  CHECK(listed.value()[0].cluster_id == "ray-1");
  CHECK(listed.value()[0].instance_id == "ray-1-inst");

  auto got = h.run(c.get_ray_cluster("w-1", "ray-1"));
  REQUIRE_MESSAGE(got.ok(), got.failure().message);
  CHECK(got.value().state == "Running");
  CHECK(got.value().name == "c1");

  auto updated = h.run(c.update_ray_cluster("w-1", "ray-1", R"({"name":"c1"})"));
  REQUIRE_MESSAGE(updated.ok(), updated.failure().message);
  CHECK(updated.value().request_id == "RU");

  auto started = h.run(c.start_ray_cluster("w-1", "ray-1"));
  REQUIRE_MESSAGE(started.ok(), started.failure().message);
  CHECK(started.value().client_token.size() == 36);

  auto stopped = h.run(c.stop_ray_cluster("w-1", "ray-1", "ray-1-inst"));
  REQUIRE_MESSAGE(stopped.ok(), stopped.failure().message);
  CHECK(stopped.value().request_id == "RT");

  auto deleted = h.run(c.delete_ray_cluster("w-1", "ray-1"));
  REQUIRE_MESSAGE(deleted.ok(), deleted.failure().message);
  CHECK(deleted.value().request_id == "RD");

  CHECK(h.server.requests() == 7);
  CHECK(h.transport->stats().tls_handshakes == 1);  // one keep-alive connection for all seven
  for (const auto& r : h.server.received()) {
    CHECK(r.header("user-agent") == std::string("provision/") + PROVISION_VERSION);
    CHECK(r.header("host") == h.host());
  }
  // The start body is exactly the token the result reports.
  CHECK(h.server.received()[4].body == R"({"clientToken":")" + started.value().client_token + R"("})");
}

TEST_CASE("ListRayCluster reads every page until a short one") {
  for (int total : {0, 3, 4, 5}) {
    CAPTURE(total);
    Harness h(
        [total](const TestRequest& r, int) {
          int page = std::stoi(query_value(r, "pageNum"));
          int size = std::stoi(query_value(r, "pageSize"));
          std::string items;
          for (int i = (page - 1) * size; i < std::min(total, page * size); ++i) {
            items += (items.empty() ? "" : ",") + cluster_json(i);
          }
          return TestReply::json(200, R"({"requestId":"R","rayClusters":[)" + items + "]}");
        },
        [](RayClusterClientOptions& o, TransportOptions&) { o.list_page_size = 2; });
    auto listed = h.run(h.client->list_ray_clusters("w-1"));
    REQUIRE_MESSAGE(listed.ok(), listed.failure().message);
    REQUIRE(listed.value().size() == static_cast<size_t>(total));
    for (int i = 0; i < total; ++i) CHECK(listed.value()[i].cluster_id == "ray-" + std::to_string(i));
    CHECK(h.server.requests() == total / 2 + 1);
    for (const auto& r : h.server.received()) CHECK(query_value(r, "pageSize") == "2");
  }
}

TEST_CASE("ListRayCluster asks for 100 per page by default") {
  Harness h(
      [](const TestRequest&, int) { return TestReply::json(200, R"({"requestId":"R","rayClusters":[]})"); });
  auto listed = h.run(h.client->list_ray_clusters("w-1"));
  REQUIRE(listed.ok());
  CHECK(query_value(h.server.received().at(0), "pageSize") == "100");
  CHECK(query_value(h.server.received().at(0), "pageNum") == "1");
}

TEST_CASE("Throttling then success: waits at least TimeLeft and re-signs") {
  Harness h([](const TestRequest&, int i) {
    if (i == 0) {
      return TestReply::json(400, R"({"Code":"Throttling.User","Message":"flow control","RequestId":"T0"})",
                             {{"x-ratelimit-user-api", "Limit:1,Remain:0,TimeLeft:120,Reset:1"}});
    }
    return TestReply::json(200, R"({"clusterId":"ray-9","requestId":"R1"})");
  });
  auto start = std::chrono::steady_clock::now();
  auto created = h.run(h.client->create_ray_cluster("w-1", R"({"name":"x"})"));
  REQUIRE_MESSAGE(created.ok(), created.failure().message);
  CHECK(created.value().cluster_id == "ray-9");
  CHECK(std::chrono::steady_clock::now() - start >= 120ms);  // a timer never fires early
  auto seen = h.server.received();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].header("x-acs-signature-nonce") != seen[1].header("x-acs-signature-nonce"));
}

TEST_CASE("503 then success") {
  Harness h([](const TestRequest&, int i) {
    if (i == 0)
      return TestReply::json(503, R"({"Code":"ServiceUnavailable","Message":"busy","RequestId":"U"})");
    return TestReply::json(200, R"({"requestId":"G",)" + cluster_json(5).substr(1));
  });
  auto got = h.run(h.client->get_ray_cluster("w-1", "ray-5"));
  REQUIRE_MESSAGE(got.ok(), got.failure().message);
  CHECK(got.value().cluster_id == "ray-5");
  CHECK(h.server.requests() == 2);
}

TEST_CASE("retries stop at max_attempts, and the message names everything") {
  Harness h([](const TestRequest&, int) {
    return TestReply::json(500, R"({"Code":"InternalError","Message":"boom","RequestId":"RID-500"})");
  });
  auto got = h.run(h.client->get_ray_cluster("w-1", "ray-1"));
  REQUIRE_FALSE(got.ok());
  const ApiFailure& f = got.failure();
  CHECK(f.kind == FailureKind::kRetryable);
  CHECK(f.attempts == 3);
  CHECK(h.server.requests() == 3);
  CHECK(f.message == "GetRayCluster failed on host " + h.host() +
                         " (HTTP 500, code InternalError, RequestId RID-500) after 3 attempts: boom");
}

TEST_CASE("a 4xx rejection is final and sent once") {
  Harness h([](const TestRequest&, int) {
    return TestReply::json(400, R"({"code":"InvalidParameter","message":"name too long","requestId":"RQ"})");
  });
  auto created = h.run(h.client->create_ray_cluster("w-1", "{}"));
  REQUIRE_FALSE(created.ok());
  CHECK(created.failure().kind == FailureKind::kFinal);
  CHECK(created.failure().http_status == 400);
  CHECK(created.failure().code == "InvalidParameter");
  CHECK(h.server.requests() == 1);
}

TEST_CASE("InternalError on a create is ambiguous and not repeated") {
  Harness h([](const TestRequest&, int) {
    return TestReply::json(500, R"({"Code":"InternalError","Message":"boom","RequestId":"R"})");
  });
  auto created = h.run(h.client->create_ray_cluster("w-1", "{}"));
  REQUIRE_FALSE(created.ok());
  CHECK(created.failure().kind == FailureKind::kAmbiguous);
  CHECK(h.server.requests() == 1);
}

TEST_CASE("a timeout after sending: create reported as ambiguous, get retried") {
  auto silent_first = [](const TestRequest&, int i) {
    if (i == 0) return TestReply::silence();
    return TestReply::json(200, R"({"requestId":"G",)" + cluster_json(1).substr(1));
  };
  auto fast_read = [](RayClusterClientOptions&, TransportOptions& t) { t.read_timeout = 300ms; };
  {
    Harness h(silent_first, fast_read);
    auto created = h.run(h.client->create_ray_cluster("w-1", "{}"));
    REQUIRE_FALSE(created.ok());
    CHECK(created.failure().kind == FailureKind::kAmbiguous);
    CHECK(created.failure().http_status == 0);
    CHECK(contains(created.failure().message, "may have reached the server"));
    CHECK(h.server.requests() == 1);
  }
  {
    Harness h(silent_first, fast_read);
    auto got = h.run(h.client->get_ray_cluster("w-1", "ray-1"));
    REQUIRE_MESSAGE(got.ok(), got.failure().message);
    CHECK(h.server.requests() == 2);
  }
  {
    Harness h([](const TestRequest&, int) { return TestReply::silence(); },
              [](RayClusterClientOptions& o, TransportOptions& t) {
                t.read_timeout = 200ms;
                o.retry.max_attempts = 2;
              });
    auto started = h.run(h.client->start_ray_cluster("w-1", "ray-1"));
    REQUIRE_FALSE(started.ok());
    CHECK(started.failure().kind == FailureKind::kAmbiguous);
    CHECK(h.server.requests() == 1);
  }
}

TEST_CASE("a connection failure before sending is retried even for a create") {
  net::io_context io;
  TransportOptions t;
  HttpsClient transport(io, t);
  FixedClock clock(std::chrono::system_clock::now());
  SeededRandom random(1);
  RayClusterClientOptions o;
  o.retry.max_attempts = 3;
  o.retry.base_delay = 1ms;
  Endpoint closed("127.0.0.1", unused_local_port());
  std::string host = closed.authority();
  RayClusterClient client(transport, closed, kCredentials, clock, random, o);
  auto created = run_coroutine(io, client.create_ray_cluster("w-1", "{}"));
  REQUIRE_FALSE(created.ok());
  CHECK(created.failure().kind == FailureKind::kRetryable);
  CHECK(created.failure().attempts == 3);
  CHECK(contains(created.failure().message, "CreateRayCluster failed on host " + host));
  CHECK(contains(created.failure().message,
                 "(no HTTP response, code -, RequestId -) after 3 attempts: connect:"));
  CHECK(transport.stats().requests_sent == 0);
}

TEST_CASE("a retried start keeps its clientToken, a new start gets a new one") {
  Harness h([](const TestRequest&, int i) {
    if (i == 0)
      return TestReply::json(503, R"({"Code":"ServiceUnavailable","Message":"busy","RequestId":"U"})");
    return TestReply::json(200, R"({"requestId":"S"})");
  });
  auto first = h.run(h.client->start_ray_cluster("w-1", "ray-1"));
  REQUIRE(first.ok());
  auto second = h.run(h.client->start_ray_cluster("w-1", "ray-1"));
  REQUIRE(second.ok());
  auto seen = h.server.received();
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].body == seen[1].body);
  CHECK(seen[1].body == R"({"clientToken":")" + first.value().client_token + R"("})");
  CHECK(seen[2].body == R"({"clientToken":")" + second.value().client_token + R"("})");
  CHECK(first.value().client_token != second.value().client_token);
  // A caller repeating a logical start passes the token back.
  auto again = h.run(h.client->start_ray_cluster("w-1", "ray-1", first.value().client_token));
  REQUIRE(again.ok());
  CHECK(h.server.received().back().body == seen[0].body);
}

TEST_CASE("no retry when the next wait would pass the call deadline") {
  Harness h(
      [](const TestRequest&, int) {
        return TestReply::json(400, R"({"Code":"Throttling","Message":"slow down","RequestId":"T"})",
                               {{"Retry-After", "5"}});
      },
      [](RayClusterClientOptions& o, TransportOptions&) {
        o.call_timeout = 1000ms;
        o.retry.max_delay = 10'000ms;
      });
  auto got = h.run(h.client->get_ray_cluster("w-1", "ray-1"));
  REQUIRE_FALSE(got.ok());
  CHECK(got.failure().kind == FailureKind::kRetryable);
  CHECK(got.failure().throttled);
  CHECK(h.server.requests() == 1);
}

TEST_CASE("unusable success bodies: final for reads, ambiguous for writes") {
  Harness h([](const TestRequest& r, int) {
    if (r.method == "GET") return TestReply::json(200, "not json");
    return TestReply::json(200, R"({"requestId":"no id"})");
  });
  auto got = h.run(h.client->get_ray_cluster("w-1", "ray-1"));
  REQUIRE_FALSE(got.ok());
  CHECK(got.failure().kind == FailureKind::kFinal);
  CHECK(got.failure().http_status == 200);
  CHECK(contains(got.failure().message, "not a JSON object"));
  auto created = h.run(h.client->create_ray_cluster("w-1", "{}"));
  REQUIRE_FALSE(created.ok());
  CHECK(created.failure().kind == FailureKind::kAmbiguous);
  CHECK(contains(created.failure().message, "no clusterId"));
}

TEST_CASE("empty ids are refused before anything is sent") {
  Harness h([](const TestRequest&, int) { return TestReply::json(200, "{}"); });
  auto got = h.run(h.client->get_ray_cluster("w-1", ""));
  REQUIRE_FALSE(got.ok());
  CHECK(got.failure().kind == FailureKind::kFinal);
  CHECK(contains(got.failure().message, "the cluster id is empty"));
  auto listed = h.run(h.client->list_ray_clusters(""));
  REQUIRE_FALSE(listed.ok());
  CHECK(h.server.requests() == 0);
}

TEST_CASE("calls in flight at once all complete over a bounded pool") {
  Harness h([](const TestRequest&,
               int) { return TestReply::json(200, R"({"requestId":"G",)" + cluster_json(3).substr(1)); },
            [](RayClusterClientOptions&, TransportOptions& t) { t.max_connections_per_host = 2; });
  auto many = [&]() -> net::awaitable<int> {
    auto executor = co_await net::this_coro::executor;
    auto ok = std::make_shared<int>(0);
    auto done = std::make_shared<int>(0);
    for (int i = 0; i < 10; ++i) {
      net::co_spawn(executor, h.client->get_ray_cluster("w-1", "ray-3"),
                    [ok, done](const std::exception_ptr&, const Outcome<ClusterInfo>& r) {
                      *ok += r.ok() ? 1 : 0;
                      ++*done;
                    });
    }
    net::steady_timer timer(executor);
    while (*done < 10) {
      timer.expires_after(5ms);
      co_await timer.async_wait(net::use_awaitable);
    }
    co_return *ok;
  };
  CHECK(h.run(many()) == 10);
  CHECK(h.server.connections() <= 2);
}

TEST_CASE("a rejected certificate is final: no retry can fix it") {
  Harness h([](const TestRequest&, int) { return TestReply::json(200, "{}"); },
            [](RayClusterClientOptions&, TransportOptions& t) { t.ca_file.clear(); });
  auto got = h.run(h.client->get_ray_cluster("w-1", "ray-1"));
  REQUIRE_FALSE(got.ok());
  CHECK(got.failure().kind == FailureKind::kFinal);
  CHECK(got.failure().attempts == 1);
  CHECK(h.transport->stats().connections_opened == 1);
  CHECK(contains(got.failure().message, "not trusted"));
}
