// Whole-file reads for tests.
#include "support/text_and_files.hpp"

#include <fstream>
#include <sstream>

namespace provision::test {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "missing file " << path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace provision::test
