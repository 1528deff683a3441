// Field-level differences between two request bodies (JSON objects), by JSON
// pointer: the "~ update" lines of a plan and the drift check against live clusters.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

namespace provision::engine {

// One changed leaf. A missing side means the field was added or removed.
struct FieldChange {
  std::string pointer;                // "/workerSpec/0/replica"
  std::optional<std::string> before;  // compact JSON text, e.g. "2" or "\"8Gi\""
  std::optional<std::string> after;
  bool operator==(const FieldChange&) const = default;
};

// Every leaf (scalar, empty array or empty object) that differs, sorted by pointer.
std::vector<FieldChange> diff_bodies(const boost::json::object& before, const boost::json::object& after);

// The leaves of `desired` that `live` also has, with a different value, plus arrays
// present in both with a different length. Fields the live view leaves out (List
// omits some) and redacted secrets ("***") are not compared.
std::vector<FieldChange> drift_changes(const boost::json::object& desired, const boost::json::object& live);

}  // namespace provision::engine
