// A schema-valid document -> ClusterSpec: body conversions and the documented key order.
#pragma once

#include <boost/json/object.hpp>

#include "spec/cluster_spec.hpp"

namespace provision::spec {

// Requires a document that passed the schema and the cross-field rules.
// cpu 2 -> "2"; an extraParam mapping -> its compact JSON text; keys reordered as in
// doc/spec-format.md (unknown keys cannot occur: the schema rejects them).
ClusterSpec normalize_spec(const boost::json::object& document, SourceLocation location);

}  // namespace provision::spec
