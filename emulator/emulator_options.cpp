// Flag parsing with CLI11, from a table of value flags; every value is checked by our own
// rules and every error names its flag.
#include "emulator/emulator_options.hpp"

#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <functional>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/spelling.hpp"

namespace provision::emulator {
namespace {

[[noreturn]] void usage_error(const std::string& message) {
  throw Error(ErrorKind::kUsage, message + " (see provision-emulator --help)");
}

// A non-negative decimal number of seconds, e.g. "2", "0.25".
std::chrono::milliseconds seconds_value(const std::string& flag, const std::string& text) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v) || v < 0 || v > 86400)
    usage_error(flag + ": expected a number of seconds from 0 to 86400, got '" + text + "'");
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(v * 1000)));
}

template <class T>
T integer_value(const std::string& flag, const std::string& text, T min, T max) {
  T v{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max)
    usage_error(flag + ": expected an integer from " + std::to_string(min) + " to " + std::to_string(max) +
                ", got '" + text + "'");
  return v;
}

void parse_listen(const std::string& text, EmulatorOptions& o) {
  std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    usage_error("--listen: expected HOST:PORT such as 127.0.0.1:8443, got '" + text + "'");
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  o.listen_host = host;
  o.listen_port = integer_value<std::uint16_t>("--listen", text.substr(colon + 1), 0, 65535);
}

// The value flags and what each sets; the CLI11 app is built from this table.
using Setter = std::function<void(const std::string&, EmulatorOptions&)>;

const std::vector<std::pair<std::string, Setter>>& value_flags() {
  static const std::vector<std::pair<std::string, Setter>> flags = {
      {"--listen", [](const std::string& v, EmulatorOptions& o) { parse_listen(v, o); }},
      {"--data-dir",
       [](const std::string& v, EmulatorOptions& o) {
         if (v.empty()) usage_error("--data-dir: expected a directory");
         o.data_dir = v;
       }},
      {"--start-delay",
       [](const std::string& v, EmulatorOptions& o) { o.start_delay = seconds_value("--start-delay", v); }},
      {"--access-keys", [](const std::string& v, EmulatorOptions& o) { o.access_keys_file = v; }},
      {"--rate-limit",
       [](const std::string& v, EmulatorOptions& o) {
         o.rate_limit = integer_value("--rate-limit", v, 0, 1'000'000);
       }},
      {"--seed",
       [](const std::string& v, EmulatorOptions& o) {
         o.seed = integer_value<std::uint64_t>("--seed", v, 0, UINT64_MAX);
       }},
      {"--fault-rate",
       [](const std::string& v, EmulatorOptions& o) {
         double p = -1;
         auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), p);
         if (ec != std::errc() || end != v.data() + v.size() || !(p >= 0 && p <= 1))
           usage_error("--fault-rate: expected a probability from 0 to 1, got '" + v + "'");
         o.fault_rate = p;
       }},
      {"--faults", [](const std::string& v, EmulatorOptions& o) { o.faults = parse_fault_list(v); }},
      {"--slow-delay",
       [](const std::string& v, EmulatorOptions& o) { o.slow_delay = seconds_value("--slow-delay", v); }},
      {"--access-log",
       [](const std::string& v, EmulatorOptions& o) {
         if (v.empty()) usage_error("--access-log: expected a file");
         o.access_log = v;
       }},
      {"--oidc-tokens",
       [](const std::string& v, EmulatorOptions& o) {
         if (v.empty()) usage_error("--oidc-tokens: expected a file");
         o.oidc_tokens_file = v;
       }},
      {"--sts-duration",
       [](const std::string& v, EmulatorOptions& o) {
         o.sts_duration = std::chrono::seconds(integer_value("--sts-duration", v, 1, 43200));
       }},
      {"--max-connections",
       [](const std::string& v, EmulatorOptions& o) {
         o.max_connections = integer_value("--max-connections", v, 1, 100'000);
       }},
  };
  return flags;
}

[[noreturn]] void unknown_argument(const std::string& word) {
  const std::string name = word.substr(0, word.rfind("--", 0) == 0 ? word.find('=') : std::string::npos);
  const std::vector<std::string> names = emulator_flag_names();
  std::string message = "unknown argument '" + name + "'";
  if (std::string guess = closest_match(name, names); !guess.empty())
    message += "; did you mean '" + guess + "'?";
  usage_error(message);
}

}  // namespace

std::vector<std::string> emulator_flag_names() {
  std::vector<std::string> names{"--help", "--version"};
  for (const auto& [flag, setter] : value_flags()) names.push_back(flag);
  return names;
}

EmulatorOptions parse_emulator_options(const std::vector<std::string>& args) {
  EmulatorOptions o;
  CLI::App app;
  app.set_help_flag();  // the help text is emulator_usage(), printed by main
  app.allow_extras(true);
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_flag("-h,--help", o.help);
  app.add_flag("--version", o.version);
  for (const auto& [flag, setter] : value_flags())
    app.add_option_function<std::string>(flag, [&o, set = &setter](const std::string& v) { (*set)(v, o); });
  for (const auto& arg : args)
    if (arg.rfind("--help=", 0) == 0 || arg.rfind("--version=", 0) == 0 || arg.rfind("-h=", 0) == 0)
      unknown_argument(arg);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them last first
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    usage_error(e.what());
  }
  if (!app.remaining().empty()) unknown_argument(app.remaining().front());
  return o;
}

std::string emulator_usage() {
  return R"(usage: provision-emulator [options]

A local HTTPS server that emulates the EMR Serverless Spark Ray-cluster API (2023-08-08),
and STS AssumeRole / AssumeRoleWithOIDC on the same port.
On first start it creates a CA (ca.pem) and a server certificate for localhost and 127.0.0.1
in the data directory; clients trust ca.pem. Clusters persist in the data directory.

options:
  --listen HOST:PORT     address to listen on (default 127.0.0.1:8443; port 0 picks a free port)
  --data-dir DIR         certificates and clusters.json (default ./provision-emulator-data)
  --start-delay SECONDS  how long Starting and Stopping last (decimal, default 2; 0 = at once)
  --access-keys FILE     accepted keys, one per line: id:secret or id:secret:sts-token
                         (else $PROVISION_EMULATOR_ACCESS_KEYS, comma-separated, else the
                         demo key demo-access-key-id / demo-access-key-secret)
  --rate-limit N         at most N requests per second per access key, then Throttling (0 = off)
  --fault-rate P         probability (0-1) that an authenticated request gets an injected fault
  --faults LIST          comma-separated: internal-error, unavailable, throttle, reset,
                         drop-after-commit, slow (default: all)
  --seed N               makes the fault sequence reproducible (default 0)
  --slow-delay SECONDS   how late a 'slow' fault answers (default 30)
  --access-log FILE      append one JSON line per request (no secrets)
  --max-connections N    concurrent connections (default 1024)
  --oidc-tokens FILE     OIDC tokens AssumeRoleWithOIDC accepts, one per line (default: none)
  --sts-duration SECONDS lifetime of the STS keys issued by AssumeRole and AssumeRoleWithOIDC
                         (1-43200; default: the request's DurationSeconds, else 3600)
  --help, --version

On start it prints, one line each:
  provision-emulator: CA certificate: <data-dir>/ca.pem
  provision-emulator: listening on https://<host>:<port>
SIGTERM or SIGINT stops it cleanly (exit 0). See doc/emulator.md.
)";
}

}  // namespace provision::emulator
