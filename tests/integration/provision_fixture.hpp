// A real provision-emulator in a temp folder, and the real provision binary run
// against it over TLS on 127.0.0.1 with the emulator's demo keys and CA.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace provision::test {

class EmulatedCloud {
 public:
  // Extra emulator flags, e.g. {"--start-delay", "3"}.
  explicit EmulatedCloud(std::vector<std::string> flags = {}) {
    std::vector<std::string> argv{
        PROVISION_EMULATOR_BINARY,         "--listen",     "127.0.0.1:0",        "--data-dir",
        (dir_ / "emulator-data").string(), "--access-log", access_log().string()};
    if (std::find(flags.begin(), flags.end(), "--start-delay") == flags.end())
      flags.insert(flags.end(), {"--start-delay", "0.2"});
    argv.insert(argv.end(), flags.begin(), flags.end());
    emulator_ = std::make_unique<BackgroundProcess>(argv);
    std::string out = emulator_->wait_for_output("listening on https://127.0.0.1:");
    for (int i = 0; i < 100 && out.find('\n', out.find("listening on")) == std::string::npos; ++i)
      out = emulator_->wait_for_output("\n", std::chrono::milliseconds(50)), out = emulator_->output();
    const auto at = out.find("listening on https://127.0.0.1:");
    REQUIRE(at != std::string::npos);
    port_ = std::stoi(out.substr(at + std::string("listening on https://127.0.0.1:").size()));
    const auto ca_at = out.find("CA certificate: ");
    REQUIRE(ca_at != std::string::npos);
    ca_ = out.substr(ca_at + 16, out.find('\n', ca_at) - ca_at - 16);
  }

  const TempDir& dir() const { return dir_; }
  std::filesystem::path access_log() const { return dir_ / "access.log"; }

  // Runs provision in the temp folder with the endpoint, CA and demo credentials.
  RunResult provision(std::vector<std::string> args, const std::string& stdin_data = "") const {
    std::vector<std::string> argv{PROVISION_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--endpoint", "127.0.0.1:" + std::to_string(port_), "--ca-file", ca_});
    return run(argv, options(stdin_data));
  }

  RunOptions options(const std::string& stdin_data = "") const {
    RunOptions o;
    o.cwd = dir_.path().string();
    o.stdin_data = stdin_data;
    o.env = {{"ALIBABA_CLOUD_ACCESS_KEY_ID", "demo-access-key-id"},
             {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "demo-access-key-secret"},
             {"NO_COLOR", "1"}};
    o.unset_env = {"ALIBABA_CLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_PROFILE"};
    return o;
  }

  std::vector<std::string> endpoint_args() const {
    return {"--endpoint", "127.0.0.1:" + std::to_string(port_), "--ca-file", ca_};
  }

  // The access log's lines whose action is `action` ("" = every line), once the log
  // has settled: the emulator writes a line just after answering, so the client may
  // exit first. Waits until the count is unchanged for 300 ms (at most 3 s).
  std::size_t requests(const std::string& action = "") const {
    std::size_t last = count(action);
    for (int stable = 0, i = 0; stable < 6 && i < 60; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      const std::size_t now = count(action);
      stable = now == last ? stable + 1 : 0;
      last = now;
    }
    return last;
  }

  std::size_t count(const std::string& action) const {
    std::ifstream in(access_log());
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);)
      if (action.empty() || line.find("\"action\":\"" + action + "\"") != std::string::npos) ++n;
    return n;
  }

  // Writes specs/<name>.yaml: one cluster with `replica` workers.
  std::string spec(const std::string& name, int replica = 1, const std::string& region = "cn-hangzhou",
                   const std::string& file = "") const {
    const std::string path = "specs/" + (file.empty() ? name : file) + ".yaml";
    dir_.write(path, "apiVersion: provision/v1\nkind: RayCluster\nmetadata:\n  name: " + name +
                         "\n  workspaceId: w-it\n  regionId: " + region +
                         "\nspec:\n  displayReleaseVersion: \"ray-1.0.0 (Ray 2.47.1, Python 3.12)\"\n"
                         "  headSpec: {queueName: root_queue, cpu: 2, memory: 8Gi}\n"
                         "  workerSpec:\n    - {groupName: g1, workerType: CPU, replica: " +
                         std::to_string(replica) + ", queueName: root_queue, cpu: 4, memory: 16Gi}\n");
    return path;
  }

 private:
  TempDir dir_;
  std::unique_ptr<BackgroundProcess> emulator_;
  int port_ = 0;
  std::string ca_;
};

}  // namespace provision::test
