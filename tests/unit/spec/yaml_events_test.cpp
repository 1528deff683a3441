// The event conversion's handling of anchors and aliases where a walk of yaml-cpp's node
// graph would see them: in skipped duplicate values, as keys, inside their own anchor.
#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>
#include <string>

#include "spec/yaml_document.hpp"

using namespace provision;

namespace {

struct Parsed {
  std::string json;         // the documents, one per line
  std::string diagnostics;  // code@line:col pointer, one per line
};

Parsed parse(const std::string& text, spec::SourceLimits limits = {}) {
  Diagnostics diagnostics;
  Parsed out;
  for (const auto& doc : spec::parse_yaml_documents(text, "t.yaml", limits, diagnostics))
    out.json += (doc.complete ? boost::json::serialize(doc.root) : std::string("incomplete")) + "\n";
  for (const auto& d : diagnostics)
    out.diagnostics += d.code + "@" + std::to_string(d.location.line) + ":" +
                       std::to_string(d.location.column) + " " + d.pointer + "\n";
  return out;
}

}  // namespace

TEST_CASE("an anchor inside a duplicate key's value still names its node") {
  const Parsed p = parse("a: 1\na: &x {b: 2}\nc: *x\n");
  CHECK(p.json == "{\"a\":1,\"c\":{\"b\":2}}\n");
  CHECK(p.diagnostics == "spec.duplicate_key@2:1 /a\n");
}

TEST_CASE("an alias inside a skipped duplicate value is not expanded") {
  const Parsed p = parse("&a {x: 1, x: *a, y: 2}\n");
  CHECK(p.json == "{\"x\":1,\"y\":2}\n");
  CHECK(p.diagnostics == "spec.duplicate_key@1:11 /x\n");
}

TEST_CASE("aliases expand where they are used, with the anchor's values and marks") {
  const Parsed p = parse("a: &s \"3\"\nb: [*s, &t 4, *t]\nc: &m {k: *s}\nd: *m\n");
  CHECK(p.json == "{\"a\":\"3\",\"b\":[\"3\",4,4],\"c\":{\"k\":\"3\"},\"d\":{\"k\":\"3\"}}\n");
  CHECK(p.diagnostics.empty());
  Diagnostics diagnostics;
  const auto docs = spec::parse_yaml_documents("a: &m {k: 1}\nd: *m\n", "t.yaml", {}, diagnostics);
  REQUIRE(docs.size() == 1);
  // The aliased value is located at its anchor, its key where the alias is used.
  CHECK(docs[0].map.find("/d")->value.line == 1);
  CHECK(docs[0].map.find("/d")->key.line == 2);
  CHECK(docs[0].map.find("/d/k")->value.line == 1);
}

TEST_CASE("an alias used as a key is its anchor's text, or a complex key") {
  CHECK(parse("? &k key\n: 1\nother: *k\n").json == "{\"key\":1,\"other\":\"key\"}\n");
  CHECK(parse("a: &k name\n*k : 2\n").json == "{\"a\":\"name\",\"name\":2}\n");
  CHECK(parse("a: &m {x: 1}\n*m : 2\n").diagnostics == "spec.complex_key@1:4 \n");
}

TEST_CASE("an alias inside its own anchor stops at the depth limit, after a list too") {
  spec::SourceLimits limits;
  limits.max_depth = 5;
  const Parsed p = parse("&a [*a, 1]\n", limits);
  CHECK(p.json == "incomplete\n");
  CHECK(p.diagnostics == "spec.depth_limit@1:1 /0/0/0/0/0/0\n");
}

TEST_CASE("anchors belong to their document") {
  const Parsed p = parse("a: &x 1\n---\nb: *x\n");
  CHECK(p.json.empty());
  CHECK(p.diagnostics.rfind("spec.yaml_syntax@", 0) == 0);
}

TEST_CASE("a syntax error in a later document drops the findings of earlier ones") {
  const Parsed p = parse("a: 1\na: 2\n---\nb: [1\n");
  CHECK(p.json.empty());
  CHECK(p.diagnostics.find("duplicate_key") == std::string::npos);
  CHECK(p.diagnostics.rfind("spec.yaml_syntax@", 0) == 0);
}
