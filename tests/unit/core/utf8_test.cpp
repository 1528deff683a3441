#include "core/utf8.hpp"

#include <doctest/doctest.h>

using namespace provision;

TEST_CASE("utf8_sequence_length accepts RFC 3629 sequences only") {
  CHECK(utf8_sequence_length("a", 0) == 1);
  CHECK(utf8_sequence_length("\xC3\xBC", 0) == 2);
  CHECK(utf8_sequence_length("\xE2\x82\xAC", 0) == 3);
  CHECK(utf8_sequence_length("\xF0\x9F\x98\x80", 0) == 4);
  CHECK(utf8_sequence_length("\xC0\xAF", 0) == 0);      // overlong
  CHECK(utf8_sequence_length("\xED\xA0\x80", 0) == 0);  // surrogate
  CHECK(utf8_sequence_length("\xE2\x82", 0) == 0);      // truncated
  CHECK(utf8_sequence_length("\xFF", 0) == 0);
}

TEST_CASE("to_valid_utf8 replaces each invalid byte and keeps the rest") {
  CHECK(to_valid_utf8("ok \xC3\xBC") == "ok \xC3\xBC");
  CHECK(to_valid_utf8("a\xFF"
                      "b") ==
        "a\xEF\xBF\xBD"
        "b");
  CHECK(to_valid_utf8("\xE2\x82") == "\xEF\xBF\xBD\xEF\xBF\xBD");
}
