// JSON text as JavaScript's JSON.stringify writes it (expected strings are what Node prints).
#include "spec/json_text.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <limits>

using provision::spec::to_json_text;

TEST_CASE("numbers use ECMAScript Number::toString") {
  CHECK(to_json_text(2.5) == "2.5");
  CHECK(to_json_text(100.0) == "100");
  CHECK(to_json_text(-0.0) == "0");
  CHECK(to_json_text(0.1) == "0.1");
  CHECK(to_json_text(1e21) == "1e+21");
  CHECK(to_json_text(1e20) == "100000000000000000000");
  CHECK(to_json_text(1.5e-7) == "1.5e-7");
  CHECK(to_json_text(0.000001) == "0.000001");
  CHECK(to_json_text(123456.789) == "123456.789");
  CHECK(to_json_text(-2.5e300) == "-2.5e+300");
  CHECK(to_json_text(std::numeric_limits<double>::infinity()) == "null");
  CHECK(to_json_text(std::int64_t{-42}) == "-42");
}

TEST_CASE("strings: raw UTF-8, slash unescaped, control characters escaped") {
  CHECK(to_json_text("a/b ü 🚀") == "\"a/b ü 🚀\"");
  CHECK(to_json_text("\"\\\b\f\n\r\t\x01\x1f\x7f") == "\"\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\"");
}

TEST_CASE("strings: escapes between runs of plain text are all kept") {
  CHECK(to_json_text("plain text") == "\"plain text\"");
  CHECK(to_json_text("") == "\"\"");
  CHECK(to_json_text("ab\"cd\\ef\ngh") == "\"ab\\\"cd\\\\ef\\ngh\"");
  CHECK(to_json_text("x\x02") == "\"x\\u0002\"");
  CHECK(to_json_text("\ty") == "\"\\ty\"");
}

TEST_CASE("containers are compact and keep insertion order") {
  auto v = boost::json::parse(R"({"z": [1, true, null, {}], "a": {"y": [], "b": "c"}})");
  CHECK(to_json_text(v) == R"({"z":[1,true,null,{}],"a":{"y":[],"b":"c"}})");
}
