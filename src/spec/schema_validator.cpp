// The only translation unit that includes valijson (it is slow to compile).
#include "spec/schema_validator.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "core/json_pointer.hpp"

namespace provision::spec {
namespace {

// valijson contexts look like {"<root>", "[spec]", "[workerSpec]", "[0]"}.
std::string pointer_of(const std::vector<std::string>& context) {
  std::string pointer;
  for (const auto& part : context) {
    if (part.size() < 2 || part.front() != '[' || part.back() != ']') continue;
    pointer = append_pointer(pointer, part.substr(1, part.size() - 2));
  }
  return pointer;
}

bool is_cascade(const std::string& description) {
  for (const char* prefix : {"Failed to validate against schema associated with property name",
                             "Failed to validate item #", "Failed to validate against additional properties"})
    if (description.rfind(prefix, 0) == 0) return true;
  return false;
}

// Parsing a schema costs far more than validating a small document: do it once per schema.
const valijson::Schema& parsed_schema(const boost::json::object& schema) {
  static std::mutex mutex;
  static std::map<const boost::json::object*, std::unique_ptr<valijson::Schema>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto& entry = cache[&schema];
  if (!entry) {
    entry = std::make_unique<valijson::Schema>();
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    const boost::json::value schema_value(schema);
    parser.populateSchema(valijson::adapters::BoostJsonAdapter(schema_value), *entry);
  }
  return *entry;
}

}  // namespace

std::vector<SchemaError> validate_against_schema(const boost::json::object& schema,
                                                 const boost::json::value& instance) {
  // The validator owns the compiled-regex cache: reusing it saves recompiling every
  // `pattern` for every document (31% of validation time in bench/README.md).
  thread_local valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  validator.validate(parsed_schema(schema), valijson::adapters::BoostJsonAdapter(instance), &results);

  std::vector<SchemaError> errors;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    if (is_cascade(error.description)) continue;
    errors.push_back({pointer_of(error.context), error.description});
  }
  return errors;
}

}  // namespace provision::spec
