// ${VAR} expansion rules, with an injected environment.
#include "spec/env_expansion.hpp"

#include <doctest/doctest.h>

#include <map>

using namespace provision::spec;

namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace

TEST_CASE("variables, defaults and escapes") {
  auto env = env_of({{"A", "alpha"}, {"EMPTY", ""}, {"_x1", "y"}});
  CHECK(expand_string("${A}", env).text == "alpha");
  CHECK(expand_string("pre-${A}-post", env).text == "pre-alpha-post");
  CHECK(expand_string("${A}${_x1}", env).text == "alphay");
  CHECK(expand_string("${MISSING:-fallback value}", env).text == "fallback value");
  CHECK(expand_string("${EMPTY:-used when empty}", env).text == "used when empty");
  CHECK(expand_string("${A:-unused}", env).text == "alpha");
  CHECK(expand_string("${MISSING:-}", env).text == "");
  CHECK(expand_string("${EMPTY}", env).text == "");
  CHECK(expand_string("$${A}", env).text == "${A}");
  CHECK(expand_string("$$${A}", env).text == "$${A}");  // left to right: "$", then "$${"
  CHECK(expand_string("cost: $5, $A", env).text == "cost: $5, $A");
}

TEST_CASE("unset variables and malformed references are errors that name no values") {
  auto env = env_of({{"SECRET", "do-not-print"}});
  auto unset = expand_string("x ${NOPE} ${SECRET}", env);
  CHECK(unset.error_code == "spec.env_unset");
  CHECK(unset.error.find("'NOPE'") != std::string::npos);
  for (const char* bad : {"${", "${A", "${}", "${1A}", "${A B}", "${A:+x}", "${A-x}"}) {
    CAPTURE(bad);
    CHECK(expand_string(bad, env).error_code == "spec.env_syntax");
  }
}

TEST_CASE("plain scalars are re-typed after expansion, quoted ones stay strings") {
  boost::json::value doc = {{"plain", "${N}"}, {"quoted", "${N}"}, {"list", {"${N}"}}};
  SourceMap map;
  SourceEntry plain;
  plain.plain = true;
  map.set("/plain", plain);
  map.set("/list/0", plain);
  map.set("/quoted", SourceEntry{});
  provision::Diagnostics diagnostics;
  expand_document(doc, map, env_of({{"N", "3"}}), diagnostics);
  CHECK(diagnostics.empty());
  CHECK(doc.at("plain") == 3);
  CHECK(doc.at("quoted") == "3");
  CHECK(doc.at("list").at(0) == 3);
}
