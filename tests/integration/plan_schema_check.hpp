// Checks text printed or written by provision against schemas/plan.schema.json (valijson,
// draft 7, strong types), so the documented schema and the real output cannot drift apart.
#pragma once

#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <memory>
#include <string>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "support/temp_dir.hpp"

namespace provision::test {

// Every schema violation of `text` as "context: description" lines; empty when valid.
inline std::string plan_schema_errors(const std::string& text) {
  static const boost::json::value schema_json =
      boost::json::parse(read_file(std::string(PROVISION_SOURCE_DIR) + "/schemas/plan.schema.json"));
  static const std::unique_ptr<valijson::Schema> schema = [] {
    auto s = std::make_unique<valijson::Schema>();
    valijson::SchemaParser(valijson::SchemaParser::kDraft7)
        .populateSchema(valijson::adapters::BoostJsonAdapter(schema_json), *s);
    return s;
  }();
  boost::system::error_code ec;
  const boost::json::value document = boost::json::parse(text, ec);
  if (ec) return "not JSON: " + ec.message();
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  validator.validate(*schema, valijson::adapters::BoostJsonAdapter(document), &results);
  std::string out;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    std::string where;
    for (const auto& part : error.context) where += part;
    out += where + ": " + error.description + "\n";
  }
  return out;
}

inline void require_valid_plan_document(const std::string& text) {
  const std::string errors = plan_schema_errors(text);
  INFO("document:\n" << text << "\nschema errors:\n" << errors);
  CHECK(errors.empty());
}

}  // namespace provision::test
