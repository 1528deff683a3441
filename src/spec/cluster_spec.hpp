// The typed result of a valid spec document: what the API layer turns into requests.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "core/diagnostic.hpp"
#include "spec/source_map.hpp"

namespace provision::spec {

struct ClusterSpec {
  std::string name;          // metadata.name, also sent as body.name
  std::string workspace_id;  // metadata.workspaceId (path parameter)
  std::string region_id;     // metadata.regionId (selects the endpoint)
  boost::json::object spec;  // `spec` after ${VAR} expansion and type conversion, documented key order
  SourceLocation location;   // where the document starts (file, line, column)
  SourceMap source;          // document pointer -> position, for findings after loading (render)
};

}  // namespace provision::spec
