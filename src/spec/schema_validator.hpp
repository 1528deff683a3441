// JSON Schema (draft-07) validation of a converted document with valijson, strict types.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <vector>

namespace provision::spec {

// One valijson finding, with its context turned into a JSON pointer.
struct SchemaError {
  std::string pointer;
  std::string description;  // valijson's own words; schema_messages rewrites them
};

// Every leaf error of `instance` against `schema`; valijson's per-ancestor "Failed to
// validate ..." cascade entries are dropped. `schema` must live as long as the process:
// its parsed form is cached by address.
std::vector<SchemaError> validate_against_schema(const boost::json::object& schema,
                                                 const boost::json::value& instance);

}  // namespace provision::spec
