#include "core/json_pointer.hpp"

#include <doctest/doctest.h>

using namespace provision;

TEST_CASE("pointer tokens are escaped and split back") {
  CHECK(append_pointer("", "a/b~c") == "/a~1b~0c");
  CHECK(append_pointer("/spec/workerSpec", std::size_t{3}) == "/spec/workerSpec/3");
  CHECK(split_pointer("/a~1b~0c/0") == std::vector<std::string>{"a/b~c", "0"});
  CHECK(split_pointer("").empty());
  CHECK(split_pointer("/") == std::vector<std::string>{""});
}
