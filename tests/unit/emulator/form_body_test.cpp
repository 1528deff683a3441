// Form bodies of RPC-style calls, as a table.
#include "emulator/form_body.hpp"

#include <doctest/doctest.h>

using namespace provision;
using namespace provision::emulator;

TEST_CASE("parse_form_body decodes %XX and '+', keeps malformed escapes, skips empty pieces") {
  struct Row {
    const char* body;
    api::NameValueList expected;
  };
  const Row rows[] = {
      {"", {}},
      {"a=1", {{"a", "1"}}},
      {"a=1&b=x%20y&c=x+y", {{"a", "1"}, {"b", "x y"}, {"c", "x y"}}},
      {"RoleArn=acs%3Aram%3A%3A1%3Arole%2Fci", {{"RoleArn", "acs:ram::1:role/ci"}}},
      {"flag&&k=", {{"flag", ""}, {"k", ""}}},
      {"t=%ZZ", {{"t", "%ZZ"}}},
      {"p=%7B%22a%22%3A%22%C3%A9%22%7D", {{"p", "{\"a\":\"\xC3\xA9\"}"}}},
      {"k=a=b", {{"k", "a=b"}}},
  };
  for (const auto& row : rows) {
    INFO(row.body);
    CHECK(parse_form_body(row.body) == row.expected);
  }
}
