// Rules the schema cannot express: minReplica <= maxReplica, unique groupName, extraParam is JSON.
#pragma once

#include <boost/json/value.hpp>

#include "core/diagnostic.hpp"
#include "spec/source_map.hpp"

namespace provision::spec {

// Checks a converted document; values of the wrong type are skipped (the schema reports them).
Diagnostics check_cross_field_rules(const boost::json::value& document, const SourceMap& map);

}  // namespace provision::spec
