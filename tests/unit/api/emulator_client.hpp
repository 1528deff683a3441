// A real provision-emulator process (CA and port read from its documented start lines) and
// the real client talking to it over TLS, for the tests that run the two together.
// Needs the provision-emulator binary (built by the default target).
#pragma once

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "api/ray_cluster_client.hpp"
#include "run_coroutine.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace provision::test {

inline const api::Credentials kDemo{"demo-access-key-id", "demo-access-key-secret", "", "test"};
inline const std::string kWorkspace = "w-client1";

// A running emulator with its CA and port read from the documented start lines.
struct Emulator {
  // `data_dir` empty: a fresh one inside this emulator's own temporary folder.
  explicit Emulator(const std::vector<std::string>& extra = {}, std::string data_dir = {}) {
    if (data_dir.empty()) data_dir = (dir.path() / "data").string();
    REQUIRE_MESSAGE(std::filesystem::exists(PROVISION_EMULATOR_BINARY),
                    "build provision-emulator first: " PROVISION_EMULATOR_BINARY);
    std::vector<std::string> argv{
        PROVISION_EMULATOR_BINARY, "--listen", "127.0.0.1:0", "--data-dir", data_dir, "--start-delay", "0.2"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process = std::make_unique<BackgroundProcess>(argv);
    const std::regex lines(
        "provision-emulator: CA certificate: (.+)\n"
        "provision-emulator: listening on https://127\\.0\\.0\\.1:([0-9]+)\n");
    std::smatch m;
    std::string text;
    for (int i = 0; i < 100 && !std::regex_search(text, m, lines); ++i) {
      text = process->wait_for_output("\nprovision-emulator: listening on https://127.0.0.1:",
                                      std::chrono::milliseconds(100));
    }
    REQUIRE_MESSAGE(std::regex_search(text, m, lines), text);
    ca_file = m[1];
    port = static_cast<std::uint16_t>(std::stoi(m[2]));
  }
  ~Emulator() { process->stop(); }

  TempDir dir;
  std::unique_ptr<BackgroundProcess> process;
  std::string ca_file;
  std::uint16_t port = 0;
};

// Transport and client for one emulator.
struct Client {
  Client(const Emulator& e, api::Credentials credentials = kDemo, api::RayClusterClientOptions options = {}) {
    api::TransportOptions t;
    t.ca_file = e.ca_file;
    t.read_timeout = std::chrono::milliseconds(5000);
    transport = std::make_unique<api::HttpsClient>(io, t);
    client = std::make_unique<api::RayClusterClient>(*transport, api::Endpoint("127.0.0.1", e.port),
                                                     std::move(credentials), clock, random, options);
  }
  template <class T>
  T run(boost::asio::awaitable<T> work) {
    return run_coroutine(io, std::move(work));
  }
  // Polls GetRayCluster until `state` (bounded: 20 s).
  api::ClusterInfo wait_for(const std::string& id, const std::string& state) {
    api::ClusterInfo last;
    for (int i = 0; i < 200; ++i) {
      auto got = run(client->get_ray_cluster(kWorkspace, id));
      REQUIRE_MESSAGE(got.ok(), got.failure().message);
      last = got.value();
      if (last.state == state) return last;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL("cluster " << id << " stayed " << last.state << ", expected " << state);
    return last;
  }

  SystemClock clock;
  OsRandom random;
  boost::asio::io_context io;
  std::unique_ptr<api::HttpsClient> transport;
  std::unique_ptr<api::RayClusterClient> client;
};

}  // namespace provision::test
