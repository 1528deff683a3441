// RFC 3986 encoding, canonical URI and query rules (api.md §3.2, toolchain.md §7).
#include <doctest/doctest.h>

#include "api/signing/canonical_request.hpp"
#include "api/signing/http_request_parts.hpp"
#include "core/percent_encoding.hpp"

using namespace provision;
using namespace provision::api;

TEST_CASE("percent_encode keeps only the unreserved set") {
  CHECK(percent_encode("AZaz09-_.~") == "AZaz09-_.~");
  CHECK(percent_encode("a b*c/d+e") == "a%20b%2Ac%2Fd%2Be");
  CHECK(percent_encode("\xc3\xbc") == "%C3%BC");
  CHECK(percent_encode("w-ab c/d+e*f~g(\xc3\xbc)'!&=?#%") ==
        "w-ab%20c%2Fd%2Be%2Af~g%28%C3%BC%29%27%21%26%3D%3F%23%25");
  CHECK(percent_encode("") == "");
}

TEST_CASE("percent_decode") {
  CHECK(percent_decode("a%20b%2fc%7E") == std::optional<std::string>("a b/c~"));
  CHECK(percent_decode("a+b") == std::optional<std::string>("a+b"));
  CHECK_FALSE(percent_decode("%").has_value());
  CHECK_FALSE(percent_decode("%2").has_value());
  CHECK_FALSE(percent_decode("%zz").has_value());
  CHECK_FALSE(percent_decode("ab%2").has_value());
}

TEST_CASE("canonical_uri re-encodes each segment") {
  CHECK(canonical_uri("") == "/");
  CHECK(canonical_uri("/") == "/");
  CHECK(canonical_uri("/api/v1/workspaces/w-d2d82aa09155/rayCluster") ==
        "/api/v1/workspaces/w-d2d82aa09155/rayCluster");
  // %7E is signed as '~'; lower-case hex becomes upper; encoded '/' stays inside its segment.
  CHECK(canonical_uri("/a%7Eb/c%2fd") == "/a~b/c%2Fd");
  // A raw character outside the unreserved set is encoded.
  CHECK(canonical_uri("/w a/x*y") == "/w%20a/x%2Ay");
  // A malformed escape is kept literally and so can never equal a well-formed path.
  CHECK(canonical_uri("/a%zz") == "/a%25zz");
  CHECK(canonical_uri("//x/") == "//x/");
}

TEST_CASE("canonical_query sorts by name then value and encodes both") {
  CHECK(canonical_query({}) == "");
  CHECK(canonical_query({{"test", "ok"}, {"empty", ""}}) == "empty=&test=ok");
  CHECK(canonical_query({{"b", "2"}, {"a", "z"}, {"a", "y"}}) == "a=y&a=z&b=2");
  CHECK(canonical_query({{"na me", "v/a+l*"}}) == "na%20me=v%2Fa%2Bl%2A");
}

TEST_CASE("canonical_headers and signed_header_list") {
  const NameValueList headers = {
      {"Host", "h.example"},       {"Accept", "application/json"},
      {"user-agent", "x"},         {"X-Acs-Test", "  b "},
      {"x-acs-test", "a"},         {"Content-Type", "application/json; charset=utf-8"},
      {"Authorization", "ignored"}};
  CHECK(canonical_headers(headers) ==
        "content-type:application/json; charset=utf-8\nhost:h.example\nx-acs-test:a,b\n");
  CHECK(signed_header_list(headers) == "content-type;host;x-acs-test");
  CHECK(canonical_headers({}) == "");
  CHECK(signed_header_list({}) == "");
  CHECK(is_signed_header_name("X-ACS-anything"));
  CHECK_FALSE(is_signed_header_name("x-acsfoo"));
  CHECK_FALSE(is_signed_header_name("authorization"));
}

TEST_CASE("a raw (unencoded) path is canonicalised by the spec rule, not the Node SDK's") {
  // toolchain.md §7: Node signs "w+a*b~c(1)!'" as "w%20a%2Ab~c(1)!'"; the spec form encodes every
  // reserved byte, so callers must encode path parameters with percent_encode before signing.
  CHECK(canonical_uri("/w+a*b~c(1)!'") == "/w%2Ba%2Ab~c%281%29%21%27");
  CHECK(canonical_uri("/" + percent_encode("w+a*b~c(1)!'")) == "/w%2Ba%2Ab~c%281%29%21%27");
}

TEST_CASE("header helpers and the wire query string") {
  NameValueList headers = {{"Host", "a"}, {"x-acs-date", "1"}, {"X-ACS-DATE", "2"}};
  CHECK(find_header(headers, "HOST") == std::optional<std::string_view>("a"));
  CHECK_FALSE(find_header(headers, "content-type").has_value());
  set_header(headers, "x-acs-date", "3");
  CHECK(headers == NameValueList{{"Host", "a"}, {"x-acs-date", "3"}});
  remove_header(headers, "host");
  CHECK(headers == NameValueList{{"x-acs-date", "3"}});
  CHECK(header_name_equal("Content-Type", "content-type"));
  CHECK_FALSE(header_name_equal("content-type", "content-typ"));
  CHECK(ascii_lower("X-Acs-Ä") == "x-acs-\xc3\x84");
  // Given order is kept on the wire; encoding matches the canonical query (%20, never '+').
  CHECK(encode_query_string({{"pageSize", "20"}, {"name", "a b+c"}}) == "pageSize=20&name=a%20b%2Bc");
  CHECK(encode_query_string({}) == "");
}
