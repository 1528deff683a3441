// Data-driven: every tests/data/spec/{valid,invalid} case through the library pipeline.
// Invalid cases must yield exactly the (line, column, code) triples of their .expected
// file; the exact text is checked against the binary in tests/integration/validate_test.cpp.
#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>
#include <vector>

#include "golden_env.hpp"
#include "spec/spec_loader.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace provision;

namespace {

std::vector<fs::path> cases(const std::string& folder) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fs::path(PROVISION_TEST_DATA_DIR) / "spec" / folder))
    if (e.path().extension() == ".yaml") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

spec::LoadOptions golden_options() {
  spec::LoadOptions options;
  options.env = test::golden_env_lookup();
  return options;
}

// "file:12:5: error: ... [spec.code]" -> "12:5 spec.code"
std::vector<std::string> expected_triples(const fs::path& expected) {
  std::vector<std::string> out;
  std::istringstream in(test::read_file(expected));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == ' ' || line.rfind("provision:", 0) == 0) continue;
    const auto first = line.find(':');
    const auto error = line.find(": error: ");
    const auto code = line.rfind(" [");
    out.push_back(line.substr(first + 1, error - first - 1) + " " +
                  line.substr(code + 2, line.size() - code - 3));
  }
  return out;
}

}  // namespace

TEST_CASE("invalid spec cases report exactly their expected diagnostics") {
  const auto files = cases("invalid");
  REQUIRE(files.size() >= 30);
  for (const auto& file : files) {
    SUBCASE(file.filename().string().c_str()) {
      const std::string text = test::read_file(file);
      auto set = spec::load_spec_text(text, file.filename().string(), golden_options());
      std::vector<std::string> got;
      for (const auto& d : set.diagnostics)
        got.push_back(std::to_string(d.location.line) + ":" + std::to_string(d.location.column) + " " +
                      d.code);
      auto expected_file = file;
      expected_file.replace_extension(".expected");
      CHECK(got == expected_triples(expected_file));
      CHECK(has_errors(set.diagnostics));
    }
  }
}

TEST_CASE("valid spec cases load without diagnostics") {
  const auto files = cases("valid");
  REQUIRE(files.size() >= 8);
  for (const auto& file : files) {
    SUBCASE(file.filename().string().c_str()) {
      auto set = spec::load_spec_text(test::read_file(file), file.filename().string(), golden_options());
      CHECK(set.diagnostics.empty());
      for (const auto& d : set.diagnostics)
        MESSAGE(d.location.line << ":" << d.location.column << " " << d.message);
      CHECK_FALSE(set.clusters.empty());
    }
  }
}

TEST_CASE("the example specs are valid") {
  auto set = spec::load_specs({std::string(PROVISION_SOURCE_DIR) + "/specs/examples"}, golden_options());
  CHECK(set.diagnostics.empty());
  CHECK(set.clusters.size() >= 3);
}
