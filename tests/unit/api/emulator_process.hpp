// A real provision-emulator process for the api suite's tests, with its CA and port read
// from the documented start lines. Needs the provision-emulator binary.
#pragma once

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace provision::test {

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

}  // namespace provision::test
