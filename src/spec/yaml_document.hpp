// YAML text -> Boost.JSON documents with a pointer -> position map, typed by the YAML 1.2
// core schema (plain `3` is an integer, quoted `"3"` a string), rejecting duplicate keys
// and bounding alias expansion.
#pragma once

#include <boost/json/value.hpp>
#include <functional>
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

// Receives each document as soon as it is converted; returns false to stop parsing.
using YamlDocumentSink = std::function<bool(YamlDocument&)>;

// Parses the documents of `text` (`---` separated) one at a time, handing each to `sink`;
// empty documents are skipped. Problems are appended to `diagnostics`. Returns false on a
// syntax error: the caller must then drop what it made of the documents already handed over
// (a syntax error anywhere means the file yields no documents), and `diagnostics` holds
// only the syntax error of this call.
bool parse_yaml_documents(const std::string& text, const std::string& file, const SourceLimits& limits,
                          Diagnostics& diagnostics, const YamlDocumentSink& sink);

// The same, collecting every document; a syntax error yields no documents.
std::vector<YamlDocument> parse_yaml_documents(const std::string& text, const std::string& file,
                                               const SourceLimits& limits, Diagnostics& diagnostics);

}  // namespace provision::spec
