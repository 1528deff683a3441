// Fuzz target: arbitrary bytes as an API response -> error-body parsing, classification,
// failure messages, retry hints and decisions, and the success-body readers.
// Input: "<status> <flags>" line (flags: 'i' idempotent), header lines, empty line, body.
#include <boost/json/parse.hpp>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>

#include "api/api_error.hpp"
#include "api/ray_cluster_client.hpp"
#include "api/retry_policy.hpp"
#include "fuzz_check.hpp"
#include "fuzz_input.hpp"

namespace {

using provision::api::FailureKind;

// Printable and single-line: server text must not garble a terminal or a log line.
bool printable_line(const std::string& s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return false;
  }
  return true;
}

void check_failure(const provision::api::ApiFailure& f, int status) {
  FUZZ_CHECK(f.http_status == status);
  FUZZ_CHECK(!f.message.empty());
  FUZZ_CHECK(printable_line(f.message));
  FUZZ_CHECK(f.message.find("CreateRayCluster") != std::string::npos);
  FUZZ_CHECK(f.message.size() < 8000);  // bounded whatever the body's size
  const bool server_side_code = f.throttled || f.code == "ServiceUnavailable" || f.code == "InternalError";
  if (status >= 400 && status < 500 && status != 429 && !server_side_code)
    FUZZ_CHECK(f.kind == FailureKind::kFinal);
}

void check_success_body(std::string_view body) {
  boost::system::error_code ec;
  auto doc = boost::json::parse(body, ec);
  if (ec || !doc.is_object()) return;
  if (auto info = provision::api::cluster_info_from_json(doc.as_object()))
    FUZZ_CHECK(!info->cluster_id.empty());
  if (const auto* items = doc.as_object().if_contains("rayClusters"); items && items->is_array()) {
    for (const auto& item : items->as_array()) {
      if (item.is_object()) (void)provision::api::cluster_info_from_json(item.as_object());
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view first = provision::fuzz::take_line(input);
  int status = 0;
  auto [end, ec] = std::from_chars(first.data(), first.data() + first.size(), status);
  if (ec != std::errc() || status < 100 || status > 999) status = 500;
  const bool idempotent =
      std::string_view(end, first.size() - static_cast<std::size_t>(end - first.data())).find('i') !=
      std::string_view::npos;
  provision::api::HeaderList headers = provision::fuzz::take_fields(input);
  std::string_view body = input;

  std::string content_type;
  for (const auto& [name, value] : headers) {
    if (name == "content-type" || name == "Content-Type") content_type = value;
  }
  (void)provision::api::parse_error_body(body, content_type);
  auto failure =
      provision::api::http_failure("CreateRayCluster", "127.0.0.1:8443", status, headers, body, idempotent);
  check_failure(failure, status);
  failure.attempts = 3;
  provision::api::update_message(failure);
  FUZZ_CHECK(printable_line(failure.message));

  provision::FixedClock clock{std::chrono::system_clock::time_point{std::chrono::seconds{1'800'000'000}}};
  auto hint = provision::api::server_wait_hint(headers, clock);
  if (hint) FUZZ_CHECK(hint->count() >= 0);

  provision::api::RetryOptions options;
  provision::api::AttemptFailure attempt{failure.kind, idempotent, failure.throttled, hint};
  provision::SeededRandom random{size};
  for (int attempts_done = 1; attempts_done <= 6; ++attempts_done) {
    auto decision = provision::api::decide_retry(options, attempt, attempts_done, random);
    FUZZ_CHECK(decision.delay.count() >= 0 && decision.delay <= options.max_delay);
    if (decision.retry) FUZZ_CHECK(attempts_done < options.max_attempts);
    if (failure.kind == FailureKind::kFinal) FUZZ_CHECK(!decision.retry);
    // A write whose effect is unknown is reconciled, never blindly re-sent.
    if (failure.kind == FailureKind::kAmbiguous && !idempotent) FUZZ_CHECK(!decision.retry);
  }
  check_success_body(body);
  return 0;
}
