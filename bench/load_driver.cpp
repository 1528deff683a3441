// provision-load-driver: measures provision-emulator's capacity alone. It replays the
// requests an apply sends for each new cluster (CreateRayCluster, then GetRayCluster)
// through the client library over N keep-alive connections, each request signed afresh
// (the emulator refuses replayed nonces), as fast as the emulator answers.
//
// usage: provision-load-driver --endpoint HOST:PORT --ca-file FILE --bodies FILE
//          [--connections N] [--name-prefix P]
// --bodies: the JSON lines of `provision apply --dry-run --output json` (one per cluster).
// Credentials: ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET.
// Prints one line of key=value figures; exit 1 when any request failed.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "api/endpoint.hpp"
#include "api/https_client.hpp"
#include "api/ray_cluster_client.hpp"
#include "core/clock.hpp"

namespace {

namespace net = boost::asio;
using provision::api::RayClusterClient;

struct Job {
  std::string workspace_id;
  std::string body;
};

struct Options {
  std::string endpoint;
  std::string ca_file;
  std::string bodies;
  std::string name_prefix;  // renames clusters so one bodies file can be replayed into one emulator
  std::size_t connections = 16;
};

[[noreturn]] void usage(const std::string& problem) {
  std::cerr << "provision-load-driver: " << problem
            << "\nusage: provision-load-driver --endpoint HOST:PORT --ca-file FILE --bodies FILE "
               "[--connections N] [--name-prefix P]\n";
  std::exit(3);
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) usage("missing value for " + flag);
    const std::string value = argv[++i];
    if (flag == "--endpoint")
      o.endpoint = value;
    else if (flag == "--ca-file")
      o.ca_file = value;
    else if (flag == "--bodies")
      o.bodies = value;
    else if (flag == "--name-prefix")
      o.name_prefix = value;
    else if (flag == "--connections")
      o.connections = std::strtoul(value.c_str(), nullptr, 10);
    else
      usage("unknown option " + flag);
  }
  if (o.endpoint.empty() || o.bodies.empty()) usage("--endpoint and --bodies are required");
  if (o.connections < 1 || o.connections > 1000) usage("--connections must be 1..1000");
  return o;
}

// The workspace id from ".../workspaces/{id}/rayCluster".
std::string workspace_of(const std::string& url) {
  const std::string marker = "/workspaces/";
  const auto start = url.find(marker);
  if (start == std::string::npos) return {};
  const auto from = start + marker.size();
  return url.substr(from, url.find('/', from) - from);
}

std::vector<Job> read_jobs(const Options& o) {
  std::ifstream in(o.bodies);
  if (!in) usage("cannot read " + o.bodies);
  std::vector<Job> jobs;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto doc = boost::json::parse(line).as_object();
    if (doc.at("action").as_string() != "CreateRayCluster") continue;
    auto& body = doc.at("body").as_object();
    if (!o.name_prefix.empty()) body["name"] = o.name_prefix + std::string(body.at("name").as_string());
    jobs.push_back({workspace_of(std::string(doc.at("url").as_string())), boost::json::serialize(body)});
  }
  return jobs;
}

struct Run {
  Run(const std::vector<Job>& j, RayClusterClient& c) : jobs(j), client(c) {}

  const std::vector<Job>& jobs;
  RayClusterClient& client;
  std::size_t next = 0;
  std::size_t requests = 0;
  std::size_t failures = 0;
  std::string first_failure;

  void fail(const provision::api::ApiFailure& f) {
    if (failures++ == 0) first_failure = f.message;
  }

  // One connection's worth of work: clusters one after another, like one apply worker.
  net::awaitable<void> worker() {
    while (next < jobs.size()) {
      const Job& job = jobs[next++];
      auto created = co_await client.create_ray_cluster(job.workspace_id, job.body);
      ++requests;
      if (!created) {
        fail(created.failure());
        continue;
      }
      auto got = co_await client.get_ray_cluster(job.workspace_id, created.value().cluster_id);
      ++requests;
      if (!got) fail(got.failure());
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  const std::vector<Job> jobs = read_jobs(options);
  const char* id = std::getenv("ALIBABA_CLOUD_ACCESS_KEY_ID");
  const char* secret = std::getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
  if (id == nullptr || secret == nullptr)
    usage("set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET");

  net::io_context io;
  provision::api::TransportOptions transport_options;
  transport_options.ca_file = options.ca_file;
  transport_options.max_connections_per_host = options.connections;
  provision::api::HttpsClient transport(io, transport_options);
  const auto service = provision::api::parse_endpoint_override(options.endpoint);
  provision::api::Credentials credentials;
  credentials.access_key_id = id;
  credentials.access_key_secret = secret;
  credentials.source = "environment";
  provision::SystemClock clock;
  provision::OsRandom random;
  RayClusterClient client(transport, provision::api::Endpoint(service.host, service.port), credentials, clock,
                          random);

  Run run(jobs, client);
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < options.connections; ++i) net::co_spawn(io, run.worker(), net::detached);
  io.run();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const auto stats = transport.stats();
  std::printf(
      "clusters=%zu requests=%zu seconds=%.3f requests_per_s=%.1f clusters_per_s=%.1f "
      "tls_handshakes=%llu failures=%zu\n",
      jobs.size(), run.requests, seconds, static_cast<double>(run.requests) / seconds,
      static_cast<double>(jobs.size()) / seconds, static_cast<unsigned long long>(stats.tls_handshakes),
      run.failures);
  if (run.failures > 0)
    std::fprintf(stderr, "provision-load-driver: first failure: %s\n", run.first_failure.c_str());
  return run.failures > 0 ? 1 : 0;
}
