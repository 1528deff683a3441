// The schema itself: embedded copy in sync with the file, and the issue's rules for it.
#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <functional>

#include "spec/embedded_schema.hpp"
#include "support/temp_dir.hpp"

using namespace provision;

TEST_CASE("the embedded schema equals schemas/raycluster.schema.json (run scripts/embed-schema.sh)") {
  const std::string file =
      test::read_file(std::string(PROVISION_SOURCE_DIR) + "/schemas/raycluster.schema.json");
  CHECK(spec::raycluster_schema_text() == file);
}

TEST_CASE("every property has a description and every object schema is closed") {
  const auto& schema = spec::raycluster_schema();
  CHECK(schema.at("$schema") == "http://json-schema.org/draft-07/schema#");
  int properties = 0;
  std::function<void(const boost::json::object&, const std::string&)> walk = [&](const boost::json::object& s,
                                                                                 const std::string& where) {
    CAPTURE(where);
    CHECK(s.contains("description"));
    if (const auto* props = s.if_contains("properties")) {
      CHECK(s.at("additionalProperties") == false);
      for (const auto& kv : props->as_object()) {
        ++properties;
        walk(kv.value().as_object(), where + "/" + std::string(kv.key()));
      }
    }
    if (const auto* items = s.if_contains("items")) walk(items->as_object(), where + "[]");
  };
  walk(schema, "");
  CHECK(properties >= 40);
}

TEST_CASE("regionId lists exactly the 15 documented regions") {
  const auto& regions = spec::raycluster_schema()
                            .at("properties")
                            .at("metadata")
                            .at("properties")
                            .at("regionId")
                            .at("enum")
                            .as_array();
  CHECK(regions.size() == 15);
  CHECK(std::find(regions.begin(), regions.end(), boost::json::value("na-south-1")) != regions.end());
}
