// YAML 1.2 core schema typing of plain scalars.
#include "spec/scalar_resolver.hpp"

#include <doctest/doctest.h>

#include <cmath>

using provision::spec::resolve_plain_scalar;

TEST_CASE("null, booleans and strings follow the YAML 1.2 core schema") {
  for (const char* s : {"", "~", "null", "Null", "NULL"}) CHECK(resolve_plain_scalar(s).is_null());
  for (const char* s : {"true", "True", "TRUE"}) CHECK(resolve_plain_scalar(s) == true);
  for (const char* s : {"false", "False", "FALSE"}) CHECK(resolve_plain_scalar(s) == false);
  // YAML 1.1 words stay strings: strict booleans.
  for (const char* s : {"yes", "no", "on", "off", "y", "n", "nULL", "tRUE"})
    CHECK(resolve_plain_scalar(s).is_string());
  CHECK(resolve_plain_scalar("8Gi") == "8Gi");
  CHECK(resolve_plain_scalar("1e") == "1e");
  CHECK(resolve_plain_scalar("0x") == "0x");
  CHECK(resolve_plain_scalar("1.2.3") == "1.2.3");
  CHECK(resolve_plain_scalar("+") == "+");
}

TEST_CASE("integers: decimal, octal, hexadecimal, signs and overflow") {
  CHECK(resolve_plain_scalar("42") == 42);
  CHECK(resolve_plain_scalar("-7") == -7);
  CHECK(resolve_plain_scalar("+3") == 3);
  CHECK(resolve_plain_scalar("007") == 7);
  CHECK(resolve_plain_scalar("0o17") == 15);
  CHECK(resolve_plain_scalar("0x1F") == 31);
  CHECK(resolve_plain_scalar("9223372036854775807").is_int64());
  CHECK(resolve_plain_scalar("-9223372036854775808") == INT64_MIN);
  CHECK(resolve_plain_scalar("18446744073709551615").is_uint64());
  auto huge = resolve_plain_scalar("99999999999999999999999");
  REQUIRE(huge.is_double());
  CHECK(huge.as_double() > 9e22);
}

TEST_CASE("floats, infinities and NaN") {
  CHECK(resolve_plain_scalar("2.5") == 2.5);
  CHECK(resolve_plain_scalar(".5") == 0.5);
  CHECK(resolve_plain_scalar("1.") == 1.0);
  CHECK(resolve_plain_scalar("-1e3") == -1000.0);
  CHECK(resolve_plain_scalar("1E-2") == 0.01);
  CHECK(resolve_plain_scalar("2.0").is_double());
  CHECK(std::isinf(resolve_plain_scalar(".inf").as_double()));
  CHECK(resolve_plain_scalar("-.Inf").as_double() < 0);
  CHECK(std::isnan(resolve_plain_scalar(".NaN").as_double()));
}
