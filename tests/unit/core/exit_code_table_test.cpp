// The exit-code table against doc/exit-codes.md and the --help block made from it.
#include "core/exit_code_table.hpp"

#include <doctest/doctest.h>

#include <sstream>
#include <vector>

#include "support/temp_dir.hpp"

using namespace provision;

namespace {

struct DocRow {
  std::string code, name, meaning;
};

// The rows of the first Markdown table whose header is "| code | name | meaning |".
std::vector<DocRow> doc_rows(const std::string& markdown) {
  std::vector<DocRow> rows;
  std::istringstream in(markdown);
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line == "| code | name | meaning |") {
      inside = true;
      continue;
    }
    if (!inside || line.rfind("| ---", 0) == 0) continue;
    if (line.empty() || line[0] != '|') break;
    std::vector<std::string> cells;
    std::size_t start = 1;
    for (std::size_t bar = line.find(" |", start); bar != std::string::npos; bar = line.find(" |", start)) {
      cells.push_back(line.substr(start + 1, bar - start - 1));
      start = bar + 2;
    }
    REQUIRE_MESSAGE(cells.size() == 3, "not a three-cell row: " << line);
    rows.push_back({cells[0], cells[1], cells[2]});
  }
  return rows;
}

}  // namespace

TEST_CASE("doc/exit-codes.md lists exactly the table's codes, names and meanings") {
  const auto rows = doc_rows(test::read_file(PROVISION_SOURCE_DIR "/doc/exit-codes.md"));
  const auto table = exit_code_table();
  REQUIRE(rows.size() == table.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CAPTURE(i);
    CHECK(rows[i].code == std::to_string(to_int(table[i].code)));
    CHECK(rows[i].name == table[i].name);
    CHECK(rows[i].meaning == table[i].meaning);
  }
}

TEST_CASE("the doc-table reader finds a changed meaning") {
  const auto rows =
      doc_rows("| code | name | meaning |\n| --- | --- | --- |\n| 3 | usage | bad input |\n\ntext\n");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].code == "3");
  CHECK(rows[0].name == "usage");
  CHECK(rows[0].meaning == "bad input");
}

TEST_CASE("codes ascend, names are unique") {
  const auto table = exit_code_table();
  for (std::size_t i = 1; i < table.size(); ++i) {
    CHECK(to_int(table[i - 1].code) < to_int(table[i].code));
    for (std::size_t j = 0; j < i; ++j) CHECK(table[i].name != table[j].name);
  }
}

TEST_CASE("the --help block keeps its layout") {
  CHECK(exit_code_help() ==
        "Exit codes:\n"
        "  0    success (plan --detailed-exitcode: no changes)\n"
        "  1    error (plan --detailed-exitcode: any error)\n"
        "  2    plan --detailed-exitcode: changes present\n"
        "  3    usage error\n"
        "  4    invalid spec\n"
        "  5    no usable credentials or configuration\n"
        "  6    the API rejected a request or a cluster failed\n"
        "  7    network, TLS or timeout failure\n"
        "  8    state file error\n"
        "  9    state locked by another process\n"
        "  130  interrupted\n");
}
