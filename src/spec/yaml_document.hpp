// YAML text -> Boost.JSON documents with a pointer -> position map, typed by the YAML 1.2
// core schema (plain `3` is an integer, quoted `"3"` a string), rejecting duplicate keys
// and bounding alias expansion.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "spec/source_map.hpp"
#include "spec/source_text.hpp"

namespace provision::spec {

struct YamlDocument {
  boost::json::value root;
  SourceMap map;
  SourceMap duplicates;  // values under duplicate keys: not converted, only known for redaction
  SourceLocation start;  // where the document's root value starts
  bool complete = true;  // false when conversion stopped at an error (never use its value)
};

// Parses every document of `text` (`---` separated); empty documents are skipped.
// Problems are appended to `diagnostics`; a syntax error yields no documents.
std::vector<YamlDocument> parse_yaml_documents(const std::string& text, const std::string& file,
                                               const SourceLimits& limits, Diagnostics& diagnostics);

}  // namespace provision::spec
