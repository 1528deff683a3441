// Fuzz target: arbitrary bytes as a spec file -> loader, validator, ${VAR} expansion,
// diagnostic printer and (for valid documents) the request body and dry-run printer.
// Only provision::Error may escape (the CLI maps it to an exit code); anything else,
// a sanitizer report or a broken invariant below is a finding.
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "api/request_body.hpp"
#include "cli/diagnostic_printer.hpp"
#include "cli/dry_run.hpp"
#include "core/error.hpp"
#include "fuzz_check.hpp"
#include "spec/spec_loader.hpp"

namespace {

// A fixed environment, so ${VAR} paths are covered and every run is reproducible.
std::optional<std::string> fuzz_env(const std::string& name) {
  if (name == "REDIS_PASSWORD") return "fuzz-redis-secret";
  if (name == "REPLICA") return "3";
  if (name == "EMPTY") return "";
  if (name == "WORKSPACE") return "w-d2d82aa09155";
  return std::nullopt;
}

void check_diagnostics(const provision::Diagnostics& diagnostics) {
  for (const auto& d : diagnostics) {
    FUZZ_CHECK(!d.code.empty());
    FUZZ_CHECK(d.location.file == "fuzz.yaml");
    FUZZ_CHECK(d.location.line >= 0 && d.location.column >= 0);
    FUZZ_CHECK(!d.message.empty());
    std::string json = provision::cli::format_diagnostic_json(d);
    boost::system::error_code ec;
    auto parsed = boost::json::parse(json, ec);
    FUZZ_CHECK(!ec && parsed.is_object());  // one JSON object per diagnostic, whatever the text
    FUZZ_CHECK(json.find('\n') == std::string::npos);
    (void)provision::cli::format_diagnostic_text(d, true);
  }
}

void check_cluster(const provision::spec::ClusterSpec& cluster) {
  std::string body = provision::api::create_body(cluster);
  boost::system::error_code ec;
  auto parsed = boost::json::parse(body, ec);
  FUZZ_CHECK(!ec && parsed.is_object());
  FUZZ_CHECK(parsed.as_object().contains("name"));
  // The displayed body carries "***" wherever the sent body has a Redis password.
  auto shown = provision::api::redact_secrets(parsed);
  if (auto* password = parsed.find_pointer("/headSpec/gftConfig/redisPassword", ec)) {
    FUZZ_CHECK(password->is_string());
    auto* masked = shown.find_pointer("/headSpec/gftConfig/redisPassword", ec);
    FUZZ_CHECK(masked != nullptr && masked->is_string() && masked->get_string() == "***");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  provision::spec::LoadOptions options;
  options.env = fuzz_env;
  try {
    auto set = provision::spec::load_spec_text(text, "fuzz.yaml", options);
    check_diagnostics(set.diagnostics);
    std::ostringstream text_out;
    std::ostringstream json_out;
    provision::cli::print_diagnostics(set.diagnostics, false, false, text_out, json_out);
    provision::cli::print_diagnostics(set.diagnostics, true, false, text_out, json_out);
    for (const auto& cluster : set.clusters) check_cluster(cluster);
    std::ostringstream dry;
    provision::cli::print_dry_run(set.clusters, {}, false, dry);
    // With credentials the dry run shows the signed headers, masked.
    provision::FixedClock clock{std::chrono::system_clock::time_point{std::chrono::seconds{1'800'000'000}}};
    provision::SeededRandom random{3};
    provision::cli::DryRunTarget signed_target;
    signed_target.endpoint_override = "127.0.0.1:8443";
    signed_target.credentials =
        provision::api::Credentials{"fuzz-key-id", "fuzz-key-secret", "fuzz-token", "fuzz"};
    signed_target.clock = &clock;
    signed_target.random = &random;
    provision::cli::print_dry_run(set.clusters, signed_target, true, dry);
    for (const char* secret : {"fuzz-key-secret", "fuzz-token"}) {
      if (text.find(secret) == std::string::npos) FUZZ_CHECK(dry.str().find(secret) == std::string::npos);
    }
  } catch (const provision::Error&) {
    // A located, user-facing error: the intended outcome for some inputs.
  }
  return 0;
}
