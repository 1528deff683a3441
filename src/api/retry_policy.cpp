// Retry decisions and server wait hints (see retry_policy.hpp and doc/http-client.md).
#include "api/retry_policy.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string_view>

namespace provision::api {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::optional<long long> parse_non_negative(std::string_view s) {
  s = trim(s);
  long long v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

// TimeLeft from one "Key:Value,Key:Value" rate-limit header value.
std::optional<long long> time_left_field(std::string_view value) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view item = trim(value.substr(0, comma));
    size_t colon = item.find(':');
    if (colon != std::string_view::npos && iequals(trim(item.substr(0, colon)), "TimeLeft")) {
      return parse_non_negative(item.substr(colon + 1));
    }
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return std::nullopt;
}

// IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" as seconds since the epoch.
std::optional<std::time_t> parse_http_date(std::string_view text) {
  std::string s(trim(text));
  char wday[4] = {};
  char mon[4] = {};
  int day = 0, year = 0, hh = 0, mm = 0, ss = 0;
  char zone[4] = {};
  if (std::sscanf(s.c_str(), "%3s, %d %3s %d %d:%d:%d %3s", wday, &day, mon, &year, &hh, &mm, &ss, zone) !=
      8) {
    return std::nullopt;
  }
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int month = -1;
  for (int i = 0; i < 12; ++i) {
    if (std::strcmp(mon, kMonths[i]) == 0) month = i;
  }
  // RFC 9110 dates have four-digit years; anything else is not a date (and a huge year
  // would overflow the time_point conversion).
  if (month < 0 || std::strcmp(zone, "GMT") != 0 || year < 1970 || year > 9999 || day < 1 || day > 31 ||
      hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month;
  tm.tm_mday = day;
  tm.tm_hour = hh;
  tm.tm_min = mm;
  tm.tm_sec = ss;
  return ::timegm(&tm);
}

}  // namespace

const char* to_string(FailureKind kind) {
  switch (kind) {
    case FailureKind::kFinal:
      return "final";
    case FailureKind::kRetryable:
      return "retryable";
    case FailureKind::kAmbiguous:
      return "ambiguous";
  }
  return "final";
}

RetryDecision decide_retry(const RetryOptions& options, const AttemptFailure& failure, int attempts_done,
                           Random& random) {
  RetryDecision decision;
  bool repeatable = failure.kind == FailureKind::kRetryable ||
                    (failure.kind == FailureKind::kAmbiguous && failure.idempotent);
  if (!repeatable || attempts_done >= options.max_attempts) return decision;

  using std::chrono::milliseconds;
  milliseconds base = failure.throttled ? options.throttle_base_delay : options.base_delay;
  milliseconds ceiling = options.max_delay;
  // base * 2^(attempts_done-1), saturating at max_delay without overflow.
  milliseconds window = base;
  for (int i = 1; i < attempts_done && window < ceiling; ++i) window *= 2;
  window = std::min(window, ceiling);
  auto jitter =
      milliseconds(static_cast<long long>(random.below(static_cast<std::uint64_t>(window.count()) + 1)));
  milliseconds delay = jitter;
  if (failure.server_wait) delay = std::max(delay, std::min(*failure.server_wait, ceiling));
  decision.retry = true;
  decision.delay = delay;
  return decision;
}

std::optional<std::chrono::milliseconds> ratelimit_time_left(const HeaderList& headers) {
  std::optional<long long> best;
  for (const auto& [name, value] : headers) {
    if (!iequals(name, "x-ratelimit-user-api") && !iequals(name, "x-ratelimit-user")) continue;
    if (auto ms = time_left_field(value); ms && (!best || *ms > *best)) best = ms;
  }
  if (!best) return std::nullopt;
  return std::chrono::milliseconds(*best);
}

std::optional<std::chrono::milliseconds> retry_after(const HeaderList& headers, const Clock& clock) {
  for (const auto& [name, value] : headers) {
    if (!iequals(name, "retry-after")) continue;
    if (auto secs = parse_non_negative(value)) {
      if (*secs > 86'400) return std::chrono::milliseconds(86'400'000);  // absurd values: cap, don't overflow
      return std::chrono::milliseconds(*secs * 1000);
    }
    if (auto when = parse_http_date(value)) {
      const std::time_t now = std::chrono::system_clock::to_time_t(clock.now());
      if (*when <= now) return std::chrono::milliseconds(0);
      // Compare in seconds, before any conversion can overflow; cap like the numeric form.
      const auto wait = std::min<std::time_t>(*when - now, 86'400);
      return std::chrono::milliseconds(static_cast<std::int64_t>(wait) * 1000);
    }
  }
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> server_wait_hint(const HeaderList& headers, const Clock& clock) {
  auto a = ratelimit_time_left(headers);
  auto b = retry_after(headers, clock);
  if (a && b) return std::max(*a, *b);
  return a ? a : b;
}

}  // namespace provision::api
