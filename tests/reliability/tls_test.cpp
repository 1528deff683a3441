// TLS and signing over the wire. The real CLI refuses a server whose certificate comes
// from another CA, names another host or has expired (the real emulator serving
// certificates made in memory by TestCa), and a port that speaks plain HTTP;
// each with exit 7 and a message that says what is wrong. The real emulator refuses
// requests tampered with after signing (body, header, path, signature), a replayed
// nonce and a stale date, and none of them changes its store.
#include <doctest/doctest.h>

#include <regex>

#include "reliability_support.hpp"
#include "support/scripted_server.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certificates.hpp"
#include "wire_request.hpp"

namespace fs = std::filesystem;
using provision::test::BackgroundProcess;
using provision::test::RunResult;
using provision::test::TempDir;

namespace {

// The real emulator on 127.0.0.1:0 with a data directory the test may fill first.
struct Emulator {
  TempDir dir;
  fs::path data = dir / "data";
  std::unique_ptr<BackgroundProcess> process;
  int port = 0;
  std::string ca;

  // Serves `server` (issued by `issuer`) instead of certificates of its own.
  void use_certificates(const provision::test::TestCa& issuer,
                        const provision::test::CertificateAndKey& server) {
    dir.write("data/ca.pem", issuer.pem().certificate_pem);
    dir.write("data/ca-key.pem", issuer.pem().key_pem);
    dir.write("data/server.pem", server.certificate_pem);
    dir.write("data/server-key.pem", server.key_pem);
  }

  void start() {
    process = std::make_unique<BackgroundProcess>(
        std::vector<std::string>{PROVISION_EMULATOR_BINARY, "--listen", "127.0.0.1:0", "--data-dir",
                                 data.string(), "--start-delay", "0"});
    const std::regex lines(
        "provision-emulator: CA certificate: (.+)\nprovision-emulator: listening on "
        "https://127\\.0\\.0\\.1:([0-9]+)\n");
    std::smatch m;
    std::string text = process->wait_for_output("listening on https://");
    for (int i = 0; i < 100 && !std::regex_search(text, m, lines); ++i) {
      process->wait_for_output("provision-emulator: stopped", std::chrono::milliseconds(50));
      text = process->output();
    }
    REQUIRE_MESSAGE(std::regex_search(text, m, lines), text);
    ca = m[1];
    port = std::stoi(m[2]);
  }

  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port); }
};

// `provision plan` on one new spec (it lists the workspace) against `endpoint`.
RunResult plan_against(const TempDir& dir, const std::string& endpoint, const std::string& ca) {
  return provision::test::plan_one_spec(dir, endpoint, ca, 10, std::chrono::seconds(60));
}

void expect_refused(const std::string& name, const RunResult& r, const std::string& message) {
  INFO(name, ": exit ", r.exit_code, "\n", r.err);
  CHECK(r.exit_code == 7);
  CHECK(r.err.find(message) != std::string::npos);
  // One line the user can act on, without the raw OpenSSL error stack.
  provision::test::report("tls", {{"case", name}, {"exit", provision::test::figure(r.exit_code)}});
}

const std::string kBase = "/api/v1/workspaces/w-tls/rayCluster";
const std::string kBody =
    R"json({"name":"wire","displayReleaseVersion":"ray-1.0.0 (Ray 2.47.1, Python 3.12)","headSpec":{"cpu":"2","memory":"8Gi"}})json";

}  // namespace

TEST_CASE("the CLI refuses the emulator's certificate under another CA, another name, or expired") {
  TempDir certs_dir;
  const provision::test::TestCa ca;
  const auto ca_file = certs_dir.write("ca.pem", ca.pem().certificate_pem).string();
  const auto other_ca_file =
      certs_dir.write("other-ca.pem", provision::test::unrelated_ca_pem()).string();  // signed nothing here

  SUBCASE("a CA the client was not given") {
    Emulator e;
    e.start();
    auto r = plan_against(e.dir, e.endpoint(), other_ca_file);
    expect_refused(
        "wrong-ca", r,
        "TLS handshake: the server certificate is not trusted (unable to get local issuer certificate); "
        "if a private CA issued it, pass that CA with --ca-file");
    CHECK(e.process->stop().exit_code == 0);
  }
  SUBCASE("a certificate for another host name") {
    Emulator e;
    e.use_certificates(ca, ca.issue({.dns_names = {"wrong-host.invalid"}, .ip_addresses = {}}));
    e.start();
    auto r = plan_against(e.dir, e.endpoint(), ca_file);
    expect_refused("wrong-host", r,
                   "TLS handshake: the server certificate is valid but not issued for '127.0.0.1' (host name "
                   "mismatch)");
  }
  SUBCASE("an expired certificate") {
    Emulator e;
    e.use_certificates(ca, ca.issue({.expired = true}));  // for 127.0.0.1 and localhost
    e.start();
    auto r = plan_against(e.dir, e.endpoint(), ca_file);
    expect_refused("expired", r, "TLS handshake: the server certificate has expired");
    CHECK(r.err.find("pass that CA with --ca-file") == std::string::npos);  // the CA is right
  }
  SUBCASE("the same certificates, valid, are accepted (the control)") {
    Emulator e;
    e.use_certificates(ca, ca.issue());  // for 127.0.0.1 and localhost
    e.start();
    auto r = plan_against(e.dir, e.endpoint(), ca_file);
    INFO(r.err);
    CHECK(r.exit_code == 0);
  }
}

TEST_CASE("the CLI refuses a port that speaks plain HTTP and says so") {
  TempDir dir;
  const auto ca_file = dir.write("ca.pem", provision::test::TestCa().pem().certificate_pem).string();
  // A plain HTTP server answers the ClientHello, which is no HTTP request, with a 400.
  const std::string body = "400 Bad Request: this port speaks plain HTTP\n";
  provision::test::ScriptedServer server(
      [&](const provision::test::TestRequest&, int) {
        return provision::test::TestReply::raw(
            "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: " +
                std::to_string(body.size()) + "\r\n\r\n" + body,
            true);
      },
      {.tls = false, .lifetime = std::chrono::seconds(100)});
  auto r = plan_against(dir, server.endpoint(), ca_file);
  expect_refused("plain-http", r, "TLS handshake: the server does not speak TLS");
  CHECK(server.connections() == 1);  // final: retrying cannot make it speak TLS
}

TEST_CASE("the emulator refuses tampered, replayed and stale requests over the wire, and stores nothing") {
  Emulator e;
  e.start();
  using provision::test::exchange;
  using provision::test::signed_request;
  long long refused = 0, cases = 0;
  auto expect_code = [&](const std::string& name, const std::string& bytes, int status,
                         const std::string& code) {
    ++cases;
    const auto reply = exchange(e.port, e.ca, bytes);
    INFO(name, ": ", reply.status, " ", reply.body);
    CHECK(reply.status == status);
    CHECK(reply.code() == code);
    refused += reply.status == status && reply.code() == code;
  };

  // The control: the signer is right, so each rejection below is the tampering's doing.
  auto good = signed_request("POST", kBase, "CreateRayCluster", kBody, e.port);
  const auto created = exchange(e.port, e.ca, good.wire());
  REQUIRE_MESSAGE(created.status == 200, created.body);
  REQUIRE(provision::test::emulator_clusters(e.data).size() == 1);

  // Replaying the accepted request byte for byte: its nonce is spent.
  expect_code("replayed nonce", good.wire(), 400, "SignatureNonceUsed");

  {
    auto r = signed_request("POST", kBase, "CreateRayCluster", kBody, e.port);
    r.body =
        R"json({"name":"evil","displayReleaseVersion":"ray-1.0.0 (Ray 2.47.1, Python 3.12)","headSpec":{"cpu":"2","memory":"8Gi"}})json";
    expect_code("body changed", r.wire(), 400, "ContentSha256Mismatch");
    r.set_header("x-acs-content-sha256", provision::test::openssl_digest(r.body));
    expect_code("body and its hash changed", r.wire(), 400, "SignatureDoesNotMatch");
  }
  {
    auto r = signed_request("POST", kBase, "CreateRayCluster", kBody, e.port);
    r.set_header("host", "localhost:" + std::to_string(e.port));
    expect_code("signed header changed", r.wire(), 400, "SignatureDoesNotMatch");
  }
  {
    auto r = signed_request("POST", kBase, "CreateRayCluster", kBody, e.port);
    r.path = "/api/v1/workspaces/w-other/rayCluster";
    expect_code("path changed", r.wire(), 400, "SignatureDoesNotMatch");
  }
  {
    auto r = signed_request("GET", kBase + "/ray-doesnotexist0000", "GetRayCluster", "", e.port);
    const std::string real = r.signature;
    r.signature[10] = r.signature[10] == '0' ? '1' : '0';
    expect_code("signature changed", r.wire(), 400, "SignatureDoesNotMatch");
    // A rejected request does not spend its nonce: the untampered one passes the checks
    // (and finds no such cluster), so the signer is right and only the tampering failed.
    r.signature = real;
    const auto passed = exchange(e.port, e.ca, r.wire());
    CHECK(passed.status == 404);
    CHECK(passed.code() == "NotFound");
  }
  {
    auto r = signed_request("GET", kBase + "/ray-doesnotexist0000", "GetRayCluster", "", e.port,
                            std::chrono::system_clock::now() - std::chrono::minutes(20));
    expect_code("stale date (20 minutes old)", r.wire(), 400, "InvalidTimeStamp.Expired");
    auto future = signed_request("GET", kBase + "/ray-doesnotexist0000", "GetRayCluster", "", e.port,
                                 std::chrono::system_clock::now() + std::chrono::minutes(20));
    expect_code("date 20 minutes ahead", future.wire(), 400, "InvalidTimeStamp.Expired");
  }
  // Nothing rejected reached the store; a fresh, honest request still works.
  CHECK(provision::test::emulator_clusters(e.data).size() == 1);
  auto honest = signed_request("GET", kBase, "ListRayCluster", "", e.port);
  const auto listed = exchange(e.port, e.ca, honest.wire());
  CHECK(listed.status == 200);
  CHECK(listed.body.find("\"name\":\"wire\"") != std::string::npos);
  CHECK(e.process->stop().exit_code == 0);
  provision::test::report(
      "signing-wire",
      {{"tampered_requests", provision::test::figure(cases)},
       {"rejections_seen", provision::test::figure(refused)},
       {"clusters_stored",
        provision::test::figure(static_cast<long long>(provision::test::emulator_clusters(e.data).size()))}});
}
