// parse_yaml_documents (libyaml events -> Boost.JSON + source map): located syntax errors,
// including the inputs that made yaml-cpp 0.7 loop (jbeder/yaml-cpp#1040); typing, tags,
// anchors, positions in characters, and one document handed over at a time.
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
  // Each of these made YAML::LoadAll loop for ever in yaml-cpp 0.7, the parser used before.
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

namespace {

spec::YamlDocument only_document(const std::string& text) {
  Diagnostics diagnostics;
  auto docs = spec::parse_yaml_documents(text, "t.yaml", spec::SourceLimits{}, diagnostics);
  REQUIRE(diagnostics.empty());
  REQUIRE(docs.size() == 1);
  return std::move(docs.front());
}

}  // namespace

TEST_CASE("scalars are typed by style and tag: plain by the core schema, anything else is text") {
  auto doc = only_document(
      "plain: 3\nquoted: '3'\ndouble: \"3\"\nblock: |\n  3\nstr: !!str 3\nint: !!int \"3\"\n"
      "custom: !custom 3\nbool: true\nyes: yes\nfloat: 2.30\nnothing: ~\nempty:\n");
  const auto& o = doc.root.as_object();
  CHECK(o.at("plain") == 3);
  CHECK(o.at("quoted") == "3");
  CHECK(o.at("double") == "3");
  CHECK(o.at("block") == "3\n");
  CHECK(o.at("str") == "3");
  CHECK(o.at("int") == 3);
  CHECK(o.at("custom") == "3");
  CHECK(o.at("bool") == true);
  CHECK(o.at("yes") == "yes");
  CHECK(o.at("float").as_double() == doctest::Approx(2.3));
  CHECK(o.at("nothing").is_null());
  CHECK(o.at("empty").is_null());
  CHECK(doc.map.find("/plain")->plain);
  CHECK_FALSE(doc.map.find("/quoted")->plain);
  CHECK_FALSE(doc.map.find("/str")->plain);
}

TEST_CASE("positions are 1-based lines and character columns; an empty value points at its key") {
  auto doc = only_document("ää: é\nb:\nc: ~\nlist:\n  - x\n");
  const auto* a = doc.map.find("/ää");
  REQUIRE(a);
  CHECK(a->key.line == 1);
  CHECK(a->key.column == 1);
  CHECK(a->value.column == 5);  // characters, not the 7th byte
  CHECK(doc.map.find("/b")->value.line == 2);
  CHECK(doc.map.find("/b")->value.column == 1);
  CHECK(doc.map.find("/c")->value.column == 4);
  CHECK(doc.map.find("/list/0")->value.line == 5);
  CHECK(doc.map.find("/list/0")->value.column == 5);
  CHECK(doc.start.line == 1);
}

TEST_CASE("an alias is its anchor's latest definition, with the anchor's positions") {
  auto doc = only_document("a: &x {k: 1}\nb: *x\nc: &x 2\nd: *x\n");
  const auto& o = doc.root.as_object();
  CHECK(o.at("b").at("k") == 1);
  CHECK(o.at("d") == 2);
  CHECK(doc.map.find("/b/k")->value.line == 1);  // where the anchored text is
  CHECK(doc.map.find("/b")->key.line == 2);      // the key that names the alias
}

TEST_CASE("an alias without an anchor before it, also across documents, is a located syntax error") {
  CHECK(first_error("a: *nope\n") ==
        "spec.yaml_syntax@1:4 invalid YAML: the alias *nope names no anchor &nope defined before it in "
        "this document");
  CHECK(first_error("a: &x 1\n---\nb: *x\n").rfind("spec.yaml_syntax@3:4 ", 0) == 0);
}

TEST_CASE("a syntax error in a later document withdraws the earlier documents and their findings") {
  Diagnostics diagnostics;
  std::size_t handed = 0;
  const bool ok = spec::parse_yaml_documents("a: 1\na: 2\n---\nb: [\n", "t.yaml", spec::SourceLimits{},
                                             diagnostics, [&](spec::YamlDocument&) {
                                               ++handed;
                                               return true;
                                             });
  CHECK_FALSE(ok);
  CHECK(handed == 1);  // the first document was handed over before the error was known
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics.front().code == "spec.yaml_syntax");
  std::size_t count = 99;
  CHECK(first_error("a: 1\n---\nb: [\n", &count).rfind("spec.yaml_syntax@", 0) == 0);
  CHECK(count == 0);
}

TEST_CASE("the sink can stop taking documents; the rest is still checked for syntax") {
  Diagnostics diagnostics;
  std::size_t handed = 0;
  auto take_one = [&](spec::YamlDocument&) {
    ++handed;
    return false;
  };
  CHECK(spec::parse_yaml_documents("a: 1\n---\nb: 2\n---\nc: 3\n", "t.yaml", spec::SourceLimits{},
                                   diagnostics, take_one));
  CHECK(handed == 1);
  CHECK_FALSE(spec::parse_yaml_documents("a: 1\n---\nb: 2\n---\nc: [\n", "t.yaml", spec::SourceLimits{},
                                         diagnostics, take_one));
}

TEST_CASE("unterminated quotes and misindented mappings are syntax errors, not values") {
  // yaml-cpp 0.7 read `a: "x` as the string x; libyaml refuses it, as YAML does.
  CHECK(
      first_error("a: \"x\n").rfind("spec.yaml_syntax@2:1 invalid YAML: found unexpected end of stream", 0) ==
      0);
  CHECK(first_error("a: 'x\n").rfind("spec.yaml_syntax@2:1 ", 0) == 0);
  CHECK(first_error("   a: 1\n b: 2\n").rfind("spec.yaml_syntax@2:2 ", 0) == 0);
}
