// Fuzz target: arbitrary bytes as a request -> the ACS3 stages (canonical URI, query and
// headers), Authorization parsing, redaction, percent-coding, and a sign-then-verify round
// trip that must always succeed. Input: "METHOD path?query" line, header lines, empty line, body.
#include <cstddef>
#include <cstdint>
#include <string>

#include "api/signing/acs3_signer.hpp"
#include "core/error.hpp"
#include "core/percent_encoding.hpp"
#include "fuzz_check.hpp"
#include "fuzz_input.hpp"

namespace {

using provision::api::NameValueList;

bool is_unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~';
}

bool is_upper_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); }

// Only unreserved characters, '/', and %XX with upper-case hex.
bool canonical_uri_shape(const std::string& uri) {
  for (std::size_t i = 0; i < uri.size(); ++i) {
    char c = uri[i];
    if (is_unreserved(c) || c == '/') continue;
    if (c != '%' || i + 2 >= uri.size() || !is_upper_hex(uri[i + 1]) || !is_upper_hex(uri[i + 2]))
      return false;
    i += 2;
  }
  return !uri.empty();
}

NameValueList split_query(std::string_view query) {
  NameValueList pairs;
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    std::size_t eq = item.find('=');
    std::string_view name = item.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
    auto decoded_name = provision::percent_decode(name);
    auto decoded_value = provision::percent_decode(value);
    pairs.emplace_back(decoded_name ? *decoded_name : std::string(name),
                       decoded_value ? *decoded_value : std::string(value));
  }
  return pairs;
}

void check_encoding(std::string_view raw) {
  std::string encoded = provision::percent_encode(raw);
  auto decoded = provision::percent_decode(encoded);
  FUZZ_CHECK(decoded && *decoded == raw);
  std::string uri = provision::api::canonical_uri(raw);
  FUZZ_CHECK(canonical_uri_shape(uri));
  FUZZ_CHECK(provision::api::canonical_uri(uri) == uri);  // canonical form is a fixed point
}

void check_authorization(std::string_view header) {
  auto parsed = provision::api::parse_authorization(header);
  if (!parsed) return;
  FUZZ_CHECK(!parsed->access_key_id.empty() && !parsed->signature.empty() && !parsed->signed_headers.empty());
}

void check_redaction(const NameValueList& headers) {
  NameValueList shown = provision::api::redacted_headers(headers);
  FUZZ_CHECK(shown.size() == headers.size());
  for (std::size_t i = 0; i < headers.size(); ++i) {
    const auto& [name, value] = headers[i];
    if (provision::api::header_name_equal(name, "x-acs-security-token")) FUZZ_CHECK(shown[i].second == "***");
    if (provision::api::header_name_equal(name, "authorization")) {
      auto parsed = provision::api::parse_authorization(value);
      if (!parsed) {
        FUZZ_CHECK(shown[i].second == "***");
      } else {
        // The shown header keeps the signed header names (they are not secret, and a fuzzed
        // name may even contain the signature's text) but its Signature field is the mask,
        // and the access key id keeps at most its prefix.
        auto shown_parsed = provision::api::parse_authorization(shown[i].second);
        FUZZ_CHECK(shown_parsed && shown_parsed->signature == "***");
        FUZZ_CHECK(shown_parsed->signed_headers == parsed->signed_headers);
        FUZZ_CHECK(parsed->access_key_id.size() < 8 || shown_parsed->access_key_id != parsed->access_key_id);
      }
    }
  }
}

// RFC 9110 token characters: what a header name can be on the wire.
bool is_token(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!is_unreserved(c) && std::string_view("!#$%&'*+^`|").find(c) == std::string_view::npos) return false;
  }
  return true;
}

// Whatever the request (as HTTP can carry it: token names, no CR/LF/NUL in values), signing it and verifying
// it with the same secret must agree.
void check_round_trip(provision::api::HttpRequestParts request) {
  for (const auto& [name, value] : request.headers) {
    if (!is_token(name) || value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) return;
  }
  if (!provision::api::find_header(request.headers, "x-acs-action")) {
    request.headers.emplace_back("x-acs-action", "GetRayCluster");
  }
  if (!provision::api::find_header(request.headers, "x-acs-version")) {
    request.headers.emplace_back("x-acs-version", "2023-08-08");
  }
  provision::FixedClock clock{std::chrono::system_clock::time_point{std::chrono::seconds{1'800'000'000}}};
  provision::SeededRandom random{1};
  provision::api::Credentials credentials{"fuzz-key-id", "fuzz-key-secret", "fuzz/sts+token", "fuzz"};
  try {
    provision::api::sign_request(request, credentials, clock, random);
  } catch (const provision::Error&) {
    return;  // e.g. no usable host: refused before signing, as documented
  }
  auto verdict =
      provision::api::verify_signature(request, [](std::string_view id) -> std::optional<std::string> {
        if (id == "fuzz-key-id") return std::string("fuzz-key-secret");
        return std::nullopt;
      });
  if (verdict.check != provision::api::SignatureCheck::kOk) {
    std::fprintf(stderr, "round trip failed: %s\n", verdict.detail.c_str());
  }
  FUZZ_CHECK(verdict.check == provision::api::SignatureCheck::kOk);
  FUZZ_CHECK(verdict.detail.find("fuzz-key-secret") == std::string::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view first = provision::fuzz::take_line(input);
  std::size_t space = first.find(' ');
  provision::api::HttpRequestParts request;
  request.method = std::string(first.substr(0, space));
  std::string_view target = space == std::string_view::npos ? std::string_view() : first.substr(space + 1);
  std::size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) request.query = split_query(target.substr(question + 1));
  request.headers = provision::fuzz::take_fields(input);
  request.host = "127.0.0.1:8443";
  request.body = std::string(input);

  check_encoding(first);
  check_encoding(request.path);
  check_authorization(first);
  for (const auto& [name, value] : request.headers) {
    if (provision::api::header_name_equal(name, "authorization")) check_authorization(value);
  }
  (void)provision::api::canonical_query(request.query);
  (void)provision::api::canonical_headers(request.headers);
  (void)provision::api::signed_header_list(request.headers);
  (void)provision::api::canonical_request(request, provision::api::kEmptyPayloadHash);
  check_redaction(request.headers);
  (void)provision::api::verify_signature(request, [](std::string_view) { return std::string("x"); });
  check_round_trip(std::move(request));
  return 0;
}
