// parse_yaml_documents on text yaml-cpp 0.7 cannot get past (jbeder/yaml-cpp#1040): a
// located syntax error, never an endless list of null documents.
#include "spec/yaml_document.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace provision;

namespace {

std::string first_error(const std::string& text, std::size_t* documents = nullptr) {
  Diagnostics diagnostics;
  auto docs = spec::parse_yaml_documents(text, "t.yaml", spec::SourceLimits{}, diagnostics);
  if (documents) *documents = docs.size();
  if (diagnostics.empty()) return "";
  const auto& d = diagnostics.front();
  return d.code + "@" + std::to_string(d.location.line) + ":" + std::to_string(d.location.column) + " " +
         d.message;
}

}  // namespace

TEST_CASE("a stray flow token at block level is a located syntax error, not a hang") {
  // Each of these made YAML::LoadAll loop for ever in yaml-cpp 0.7.
  CHECK(first_error(",") ==
        "spec.yaml_syntax@1:1 invalid YAML: unexpected ',' (a flow indicator outside "
        "[...] or {...}?)");
  CHECK(first_error("\n,\n    ").rfind("spec.yaml_syntax@2:1 invalid YAML: unexpected ','", 0) == 0);
  CHECK(first_error("]").rfind("spec.yaml_syntax@1:1 ", 0) == 0);
  CHECK(first_error("}").rfind("spec.yaml_syntax@1:1 ", 0) == 0);
  CHECK(first_error("a: 1\n---\n, b\n").rfind("spec.yaml_syntax@3:1 ", 0) == 0);
  CHECK(first_error("- !+(.,.)").rfind("spec.yaml_syntax@", 0) == 0);
  // A tag or an anchor is consumed first, so the stall starts one document later.
  CHECK(first_error("!x ,").rfind("spec.yaml_syntax@1:4 invalid YAML: unexpected ','", 0) == 0);
  CHECK(first_error("&a ,").rfind("spec.yaml_syntax@1:4 invalid YAML: unexpected ','", 0) == 0);
  CHECK(first_error("---\n...\n,").rfind("spec.yaml_syntax@3:1 ", 0) == 0);
  // The fuzzer's 54-byte reproducer (tests/fuzz/regressions/spec_fuzz/yaml_cpp_loadall_hang.yaml).
  CHECK(first_error(", replica: \"two\"}\n    - {groupName: h, repl}\nspec: {}\n")
            .rfind("spec.yaml_syntax@1:1 invalid YAML: unexpected ','", 0) == 0);
}

TEST_CASE("documents that start at the same place only when empty still parse") {
  std::size_t count = 99;
  CHECK(first_error("---\n---\n---\n", &count) == "");
  CHECK(count == 0);
  CHECK(first_error("a: 1\n...\n---\nb: 2\n---\n", &count) == "");
  CHECK(count == 2);
  CHECK(first_error("- [a, b]\n- {c: d}\n---\n\"x\"\n", &count) == "");
  CHECK(count == 2);
  CHECK(first_error("", &count) == "");
  CHECK(count == 0);
}
