// provision-emulator's command line: typed values, usage errors with "did you mean", and
// the --help text naming every flag the parser takes.
#include "emulator/emulator_options.hpp"

#include <doctest/doctest.h>

#include "core/error.hpp"

using namespace provision;
using namespace provision::emulator;
using namespace std::chrono_literals;

TEST_CASE("defaults") {
  const EmulatorOptions o = parse_emulator_options({});
  CHECK(o.listen_host == "127.0.0.1");
  CHECK(o.listen_port == 8443);
  CHECK(o.start_delay == 2000ms);
  CHECK(o.fault_rate == 0.0);
  CHECK(o.max_connections == 1024);
  CHECK_FALSE(o.access_keys_file);
  CHECK_FALSE(o.help);
}

TEST_CASE("every flag, in both spellings") {
  const EmulatorOptions o = parse_emulator_options({"--listen",
                                                    "[::1]:0",
                                                    "--data-dir=d",
                                                    "--start-delay",
                                                    "0.25",
                                                    "--access-keys=k.txt",
                                                    "--rate-limit",
                                                    "5",
                                                    "--seed=7",
                                                    "--fault-rate",
                                                    "0.5",
                                                    "--faults=reset,slow",
                                                    "--slow-delay",
                                                    "1",
                                                    "--access-log",
                                                    "log.jsonl",
                                                    "--max-connections=3",
                                                    "--oidc-tokens",
                                                    "t.txt",
                                                    "--sts-duration=900",
                                                    "--version",
                                                    "-h"});
  CHECK(o.listen_host == "::1");
  CHECK(o.listen_port == 0);
  CHECK(o.data_dir == "d");
  CHECK(o.start_delay == 250ms);
  CHECK(o.access_keys_file == "k.txt");
  CHECK(o.rate_limit == 5);
  CHECK(o.seed == 7);
  CHECK(o.fault_rate == 0.5);
  CHECK(o.faults == std::vector<FaultKind>{FaultKind::kReset, FaultKind::kSlow});
  CHECK(o.slow_delay == 1000ms);
  CHECK(o.access_log == "log.jsonl");
  CHECK(o.max_connections == 3);
  CHECK(o.oidc_tokens_file == "t.txt");
  CHECK(o.sts_duration == std::chrono::seconds(900));
  CHECK(o.version);
  CHECK(o.help);
}

TEST_CASE("the last of a repeated flag counts") {
  CHECK(parse_emulator_options({"--seed", "1", "--seed=2"}).seed == 2);
}

TEST_CASE("usage errors name the flag and what was expected") {
  const std::vector<std::pair<std::vector<std::string>, std::string>> rows = {
      {{"--start-dealy", "1"}, "unknown argument '--start-dealy'; did you mean '--start-delay'?"},
      {{"--start-dealy=1"}, "unknown argument '--start-dealy'; did you mean '--start-delay'?"},
      {{"serve"}, "unknown argument 'serve'"},
      {{"--fault-rate", "1.5"}, "--fault-rate: expected a probability from 0 to 1, got '1.5'"},
      {{"--listen", "nohost"}, "--listen: expected HOST:PORT"},
      {{"--rate-limit", "x"}, "--rate-limit: expected an integer from 0 to 1000000, got 'x'"},
      {{"--start-delay", "-1"}, "--start-delay"},
      {{"--faults", "reset,boom"}, "unknown fault 'boom'"},
      {{"--data-dir="}, "--data-dir"},
      {{"--seed"}, "--seed"},
  };
  for (const auto& [args, message] : rows) {
    CAPTURE(args.front());
    CHECK_THROWS_WITH_AS(parse_emulator_options(args), doctest::Contains(message.c_str()), Error);
  }
  try {
    parse_emulator_options({"--seed", "x"});
    FAIL("expected a usage error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kUsage);
    CHECK(std::string(e.what()).find("(see provision-emulator --help)") != std::string::npos);
  }
}

TEST_CASE("--help names every flag the parser takes") {
  const std::string help = emulator_usage();
  for (const auto& flag : emulator_flag_names()) {
    CAPTURE(flag);
    CHECK(help.find(flag) != std::string::npos);
  }
}
