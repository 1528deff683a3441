// Which body pointers can lead to a secret: the redaction walk skips every other branch.
#include "spec/secret_fields.hpp"

#include <doctest/doctest.h>

using namespace provision::spec;

TEST_CASE("may_hold_secret_body_pointer: the secret and its parents, nothing else") {
  CHECK(may_hold_secret_body_pointer(""));
  CHECK(may_hold_secret_body_pointer("/headSpec"));
  CHECK(may_hold_secret_body_pointer("/headSpec/gftConfig"));
  CHECK(may_hold_secret_body_pointer("/headSpec/gftConfig/redisPassword"));
  CHECK(is_secret_body_pointer("/headSpec/gftConfig/redisPassword"));
  CHECK_FALSE(may_hold_secret_body_pointer("/head"));              // a prefix, not a parent
  CHECK_FALSE(may_hold_secret_body_pointer("/headSpec/gftConf"));  // the same
  CHECK_FALSE(may_hold_secret_body_pointer("/headSpec/gftConfig/redisPasswordX"));
  CHECK_FALSE(may_hold_secret_body_pointer("/headSpec/gftConfig/redisPassword/0"));  // inside the secret
  CHECK_FALSE(may_hold_secret_body_pointer("/workerSpec"));
  CHECK_FALSE(may_hold_secret_body_pointer("/workerSpec/0/redisPassword"));
}
