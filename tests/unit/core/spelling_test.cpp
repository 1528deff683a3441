#include "core/spelling.hpp"

#include <doctest/doctest.h>

using namespace provision;

TEST_CASE("closest_match suggests near names and nothing for far ones") {
  std::vector<std::string> keys{"headSpec", "workerSpec", "volumeIds", "description"};
  CHECK(closest_match("headspec", keys) == "headSpec");
  CHECK(closest_match("workerSpecs", keys) == "workerSpec");
  CHECK(closest_match("zzz", keys).empty());
  CHECK(edit_distance("kitten", "sitting") == 3);
}
