// The RayCluster JSON Schema, compiled into the binary (see scripts/embed-schema.sh).
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

namespace provision::spec {

// The exact bytes of schemas/raycluster.schema.json at build time.
std::string_view raycluster_schema_text();

// The schema parsed once; lives for the whole process.
const boost::json::object& raycluster_schema();

}  // namespace provision::spec
