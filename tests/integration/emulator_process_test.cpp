// The real provision-emulator process: start lines, TLS with its CA, signed requests,
// persistence across a SIGTERM restart, exit codes and access keys. The TLS client and the
// signature are the openssl command line (ca-certificates depends on it), so this suite links
// no product TLS or signing code and cross-checks the server against an independent signer.
#include <doctest/doctest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <regex>

#include "core/clock.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using provision::test::BackgroundProcess;
using provision::test::run;
using provision::test::TempDir;

namespace {

const std::string kBase = "/api/v1/workspaces/w-it1/rayCluster";
const std::string kBody =
    R"json({"name":"it-cluster","displayReleaseVersion":"ray-1.0.0 (Ray 2.47.1, Python 3.12)","headSpec":{"cpu":"2","memory":"8Gi"},"workerSpec":[{"groupName":"g","replica":2}]})json";

std::string openssl() {
  for (const char* p : {"/usr/bin/openssl", "/usr/local/bin/openssl", "/bin/openssl"})
    if (std::filesystem::exists(p)) return p;
  FAIL("the openssl command is needed by this test");
  return "";
}

std::string digest(const std::string& data, const std::string& hmac_key = "") {
  std::vector<std::string> argv{openssl(), "dgst", "-sha256", "-r"};
  if (!hmac_key.empty()) argv.insert(argv.end(), {"-hmac", hmac_key});
  provision::test::RunOptions options;
  options.stdin_data = data;
  auto r = run(argv, options);
  REQUIRE(r.exit_code == 0);
  return r.out.substr(0, 64);
}

struct Emulator {
  std::string ca;
  int port = 0;
};

// Reads the two start lines exactly as documented (waiting until the second one is complete).
Emulator start_lines(BackgroundProcess& process) {
  const std::regex lines(
      "provision-emulator: CA certificate: (.+)\n"
      "provision-emulator: listening on https://127\\.0\\.0\\.1:([0-9]+)\n");
  process.wait_for_output("listening on https://");
  std::smatch m;
  std::string text = process.output();
  // Polls in 50 ms steps for at most 5 s; the needle never appears while the server runs.
  for (int i = 0; i < 100 && !std::regex_search(text, m, lines); ++i) {
    process.wait_for_output("provision-emulator: stopped", std::chrono::milliseconds(50));
    text = process.output();
  }
  REQUIRE(std::regex_search(text, m, lines));
  return {m[1], std::stoi(m[2])};
}

// An ACS3-signed request, built and signed independently of src/api.
std::string signed_request(const std::string& method, const std::string& path, const std::string& action,
                           const std::string& body, int port, const std::string& id,
                           const std::string& secret) {
  static provision::OsRandom random;
  const std::string host = "127.0.0.1:" + std::to_string(port);
  const std::string hash = digest(body);
  std::vector<std::pair<std::string, std::string>> headers;
  if (!body.empty()) headers.emplace_back("content-type", "application/json; charset=utf-8");
  headers.insert(headers.end(),
                 {{"host", host},
                  {"x-acs-action", action},
                  {"x-acs-content-sha256", hash},
                  {"x-acs-date", provision::format_iso8601_utc(std::chrono::system_clock::now())},
                  {"x-acs-signature-nonce", random.hex_nonce()},
                  {"x-acs-version", "2023-08-08"}});
  std::string canonical_headers, signed_headers;
  for (const auto& [name, value] : headers) {
    canonical_headers += name + ":" + value + "\n";
    signed_headers += (signed_headers.empty() ? "" : ";") + name;
  }
  const std::string canonical =
      method + "\n" + path + "\n\n" + canonical_headers + "\n" + signed_headers + "\n" + hash;
  const std::string signature = digest("ACS3-HMAC-SHA256\n" + digest(canonical), secret);
  std::string wire = method + " " + path + " HTTP/1.1\r\n";
  for (const auto& [name, value] : headers) wire += name + ": " + value + "\r\n";
  wire += "Authorization: ACS3-HMAC-SHA256 Credential=" + id + ",SignedHeaders=" + signed_headers +
          ",Signature=" + signature + "\r\n";
  wire += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  return wire;
}

struct Reply {
  int status = 0;
  std::string body;
};

// One request over `openssl s_client`, verifying the server against `ca` for 127.0.0.1.
Reply exchange(const Emulator& e, const std::string& wire) {
  provision::test::RunOptions options;
  options.stdin_data = wire;
  options.timeout = std::chrono::seconds(30);
  auto r = run({openssl(), "s_client", "-connect", "127.0.0.1:" + std::to_string(e.port), "-CAfile", e.ca,
                "-verify_return_error", "-verify_ip", "127.0.0.1", "-quiet"},
               options);
  Reply reply;
  std::smatch m;
  if (std::regex_search(r.out, m, std::regex("^HTTP/1\\.1 ([0-9]{3}) "))) reply.status = std::stoi(m[1]);
  std::size_t body = r.out.find("\r\n\r\n");
  if (body != std::string::npos) reply.body = r.out.substr(body + 4);
  return reply;
}

Reply demo_call(const Emulator& e, const std::string& method, const std::string& path,
                const std::string& action, const std::string& body = "") {
  return exchange(
      e, signed_request(method, path, action, body, e.port, "demo-access-key-id", "demo-access-key-secret"));
}

std::string field(const std::string& json, const std::string& key) {
  std::smatch m;
  std::regex_search(json, m, std::regex("\"" + key + "\":\"([^\"]*)\""));
  return m.size() > 1 ? std::string(m[1]) : std::string();
}

std::vector<std::string> emulator_args(const TempDir& dir, std::vector<std::string> extra = {}) {
  std::vector<std::string> argv{
      PROVISION_EMULATOR_BINARY, "--listen", "127.0.0.1:0", "--data-dir", (dir / "data").string(),
      "--start-delay",           "0"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

}  // namespace

TEST_CASE("provision-emulator --version, --help and usage errors") {
  auto v = run({PROVISION_EMULATOR_BINARY, "--version"});
  CHECK(v.exit_code == 0);
  CHECK(v.out.find("provision-emulator 0.") == 0);
  auto h = run({PROVISION_EMULATOR_BINARY, "--help"});
  CHECK(h.exit_code == 0);
  CHECK(h.out.find("--fault-rate") != std::string::npos);
  CHECK(h.out.find("demo-access-key-id") != std::string::npos);
  auto typo = run({PROVISION_EMULATOR_BINARY, "--start-dealy", "1"});
  CHECK(typo.exit_code == 3);
  CHECK(typo.err.find("did you mean '--start-delay'") != std::string::npos);
  auto bad = run({PROVISION_EMULATOR_BINARY, "--faults", "reset,boom"});
  CHECK(bad.exit_code == 3);
  CHECK(bad.err.find("unknown fault 'boom'") != std::string::npos);
  CHECK(run({PROVISION_EMULATOR_BINARY, "--fault-rate", "1.5"}).exit_code == 3);
  CHECK(run({PROVISION_EMULATOR_BINARY, "--listen", "nohost"}).exit_code == 3);
}

TEST_CASE("start lines, a signed create over TLS, SIGTERM exit 0 and persistence across restart") {
  TempDir dir;
  std::string id;
  std::string ca_text;
  {
    BackgroundProcess emulator(emulator_args(dir));
    Emulator e = start_lines(emulator);
    CHECK(e.ca == (dir / "data" / "ca.pem").string());
    CHECK(e.port > 0);
    ca_text = provision::test::read_file(e.ca);

    Reply created = demo_call(e, "POST", kBase, "CreateRayCluster", kBody);
    REQUIRE(created.status == 200);
    id = field(created.body, "clusterId");
    CHECK(std::regex_match(id, std::regex("ray-[a-z0-9]{16}")));

    Reply unsigned_reply = exchange(e, "GET " + kBase + " HTTP/1.1\r\nhost: x\r\nConnection: close\r\n\r\n");
    CHECK(unsigned_reply.status == 400);
    CHECK(field(unsigned_reply.body, "Code") == "IncompleteSignature");

    std::string tampered = signed_request("POST", kBase, "CreateRayCluster", kBody, e.port,
                                          "demo-access-key-id", "demo-access-key-secret");
    tampered.replace(tampered.find("it-cluster"), 10, "xx-cluster");
    Reply rejected = exchange(e, tampered);
    CHECK(rejected.status == 400);
    CHECK(field(rejected.body, "Code") == "ContentSha256Mismatch");

    auto stopped = emulator.stop(SIGTERM);
    CHECK(stopped.exit_code == 0);
    CHECK(stopped.signal == 0);
  }
  BackgroundProcess again(emulator_args(dir));
  Emulator e = start_lines(again);
  CHECK(provision::test::read_file(e.ca) == ca_text);  // the CA is reused, clients keep trusting it
  Reply got = demo_call(e, "GET", kBase + "/" + id, "GetRayCluster");
  CHECK(got.status == 200);
  CHECK(field(got.body, "name") == "it-cluster");
  CHECK(field(got.body, "state") == "Running");
  CHECK(again.stop(SIGINT).exit_code == 0);
}

TEST_CASE("answered changes survive SIGKILL through the journal, which the restart folds in") {
  TempDir dir;
  std::vector<std::string> ids;
  {
    BackgroundProcess emulator(emulator_args(dir));
    Emulator e = start_lines(emulator);
    for (int i = 0; i < 3; ++i) {
      Reply created = demo_call(e, "POST", kBase, "CreateRayCluster", kBody);
      REQUIRE(created.status == 200);
      ids.push_back(field(created.body, "clusterId"));
    }
    REQUIRE(demo_call(e, "POST", kBase + "/" + ids[0] + "/stop", "StopRayCluster", "{}").status == 200);
    REQUIRE(demo_call(e, "DELETE", kBase + "/" + ids[0], "DeleteRayCluster").status == 200);
    // The answered changes are in the journal; no snapshot was written while serving.
    CHECK(std::filesystem::exists(dir / "data" / "clusters.journal"));
    CHECK_FALSE(std::filesystem::exists(dir / "data" / "clusters.json"));
    auto killed = emulator.stop(SIGKILL);
    CHECK(killed.signal == SIGKILL);
  }
  BackgroundProcess again(emulator_args(dir));
  Emulator e = start_lines(again);
  // The restart replayed the journal into a new snapshot and removed it.
  CHECK(std::filesystem::exists(dir / "data" / "clusters.json"));
  CHECK_FALSE(std::filesystem::exists(dir / "data" / "clusters.journal"));
  CHECK(demo_call(e, "GET", kBase + "/" + ids[0], "GetRayCluster").status == 404);
  for (std::size_t i = 1; i < ids.size(); ++i) {
    Reply got = demo_call(e, "GET", kBase + "/" + ids[i], "GetRayCluster");
    CHECK(got.status == 200);
    CHECK(field(got.body, "state") == "Running");
  }
  CHECK(again.stop(SIGTERM).exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(dir / "data" / "clusters.journal"));
}

TEST_CASE("--access-keys and the environment replace the demo key") {
  TempDir dir;
  auto keys = dir.write("keys.txt", "# test keys\nfile-key:file-secret\n");
  {
    BackgroundProcess emulator(emulator_args(dir, {"--access-keys", keys.string()}));
    Emulator e = start_lines(emulator);
    Reply demo = demo_call(e, "GET", kBase, "ListRayCluster");
    CHECK(demo.status == 404);
    CHECK(field(demo.body, "Code") == "InvalidAccessKeyId.NotFound");
    Reply ok =
        exchange(e, signed_request("GET", kBase, "ListRayCluster", "", e.port, "file-key", "file-secret"));
    CHECK(ok.status == 200);
  }
  provision::test::RunOptions env;
  env.env["PROVISION_EMULATOR_ACCESS_KEYS"] = "env-key:env-secret,other:x";
  BackgroundProcess emulator(emulator_args(dir), env);
  Emulator e = start_lines(emulator);
  CHECK(exchange(e, signed_request("GET", kBase, "ListRayCluster", "", e.port, "env-key", "env-secret"))
            .status == 200);
  auto stopped = emulator.stop();
  CHECK(stopped.exit_code == 0);
}

TEST_CASE("a data directory that cannot be used is a clear error") {
  TempDir dir;
  dir.write("data/clusters.json", "{broken");
  auto r = run(emulator_args(dir));
  CHECK(r.exit_code == 8);
  CHECK(r.err.find("clusters.json") != std::string::npos);
}

TEST_CASE("injected faults repeat with the seed and show in the access log") {
  auto statuses = [](std::uint64_t seed) {
    TempDir dir;
    BackgroundProcess emulator(
        emulator_args(dir, {"--fault-rate", "0.5", "--faults", "internal-error,unavailable", "--seed",
                            std::to_string(seed), "--access-log", (dir / "access.log").string()}));
    Emulator e = start_lines(emulator);
    std::vector<int> out;
    for (int i = 0; i < 12; ++i) out.push_back(demo_call(e, "GET", kBase, "ListRayCluster").status);
    CHECK(emulator.stop().exit_code == 0);
    std::string log = provision::test::read_file(dir / "access.log");
    CHECK(std::count(log.begin(), log.end(), '\n') == 12);
    CHECK(log.find("demo-access-key-secret") == std::string::npos);
    CHECK(log.find("\"action\":\"ListRayCluster\"") != std::string::npos);
    return out;
  };
  auto first = statuses(11);
  CHECK(first == statuses(11));
  CHECK(first != statuses(12));
  CHECK(std::count(first.begin(), first.end(), 200) > 0);
  CHECK(std::count(first.begin(), first.end(), 200) < 12);
}
