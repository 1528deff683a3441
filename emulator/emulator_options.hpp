// The command line of provision-emulator: flags, defaults, parsing and --help text.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "emulator/fault_injector.hpp"

namespace provision::emulator {

struct EmulatorOptions {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8443;  // 0 = pick a free port (printed at start)
  std::string data_dir = "provision-emulator-data";
  std::chrono::milliseconds start_delay{2000};
  std::optional<std::string> access_keys_file;
  int rate_limit = 0;  // requests per second per access key; 0 = unlimited
  std::uint64_t seed = 0;
  double fault_rate = 0.0;
  std::vector<FaultKind> faults = all_fault_kinds();
  std::chrono::milliseconds slow_delay{30000};
  std::optional<std::string> access_log;
  int max_connections = 1024;
  std::optional<std::string> oidc_tokens_file;       // --oidc-tokens: accepted AssumeRoleWithOIDC tokens
  std::optional<std::chrono::seconds> sts_duration;  // --sts-duration: lifetime of issued STS keys
  bool help = false;
  bool version = false;
};

// Parses argv[1..] ("--flag value" or "--flag=value"). Throws Error(kUsage) with a message
// naming the flag and what was expected; "did you mean" for misspelt flags.
EmulatorOptions parse_emulator_options(const std::vector<std::string>& args);

// The --help text.
std::string emulator_usage();

// Every flag the parser takes ("--help", "--version", then the value flags), for the test
// that the --help text names each one.
std::vector<std::string> emulator_flag_names();

}  // namespace provision::emulator
