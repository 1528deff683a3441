// Parses the embedded schema once, on first use.
#include "spec/embedded_schema.hpp"

#include <boost/json/parse.hpp>

namespace provision::spec {

const boost::json::object& raycluster_schema() {
  static const boost::json::object schema = boost::json::parse(raycluster_schema_text()).as_object();
  return schema;
}

}  // namespace provision::spec
