// Flag parsing by table; every value is checked and every error names its flag.
#include "emulator/emulator_options.hpp"

#include <charconv>
#include <cmath>
#include <functional>
#include <map>

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

using Setter = std::function<void(const std::string&, EmulatorOptions&)>;

const std::map<std::string, Setter>& value_flags() {
  static const std::map<std::string, Setter> flags = {
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

}  // namespace

EmulatorOptions parse_emulator_options(const std::vector<std::string>& args) {
  EmulatorOptions o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "--help" || arg == "-h") {
      o.help = true;
      continue;
    }
    if (arg == "--version") {
      o.version = true;
      continue;
    }
    std::optional<std::string> value;
    if (std::size_t eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
    }
    auto it = value_flags().find(arg);
    if (it == value_flags().end()) {
      std::vector<std::string> names{"--help", "--version"};
      for (const auto& [name, setter] : value_flags()) names.push_back(name);
      std::string message = "unknown argument '" + arg + "'";
      if (std::string guess = closest_match(arg, names); !guess.empty())
        message += "; did you mean '" + guess + "'?";
      usage_error(message);
    }
    if (!value) {
      if (i + 1 >= args.size()) usage_error(arg + ": expected a value");
      value = args[++i];
    }
    it->second(*value, o);
  }
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
