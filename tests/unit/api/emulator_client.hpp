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
#include "emulator_process.hpp"
#include "run_coroutine.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace provision::test {

inline const api::Credentials kDemo{"demo-access-key-id", "demo-access-key-secret", "", "test"};
inline const std::string kWorkspace = "w-client1";

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
