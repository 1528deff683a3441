// yaml-cpp is used only here and in yaml_event_converter: its exceptions and 0-based marks
// stop at these files. One pass of parser events, no YAML::Node tree.
#include "spec/yaml_document.hpp"

#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <istream>
#include <streambuf>

#include "spec/yaml_event_converter.hpp"

namespace provision::spec {
namespace {

// Reads the text in place: an istringstream would copy the whole file first.
class TextBuffer : public std::streambuf {
 public:
  explicit TextBuffer(const std::string& text) {
    char* begin = const_cast<char*>(text.data());  // NOLINT: only ever read (no putback area)
    setg(begin, begin, begin + text.size());
  }
};

// What yaml-cpp stopped at, in words: it gives only a position.
std::string describe_token_at(const std::string& text, const YAML::Mark& mark) {
  if (mark.pos < 0 || static_cast<std::size_t>(mark.pos) >= text.size()) return "unexpected text";
  const char c = text[static_cast<std::size_t>(mark.pos)];
  if (c == ',' || c == ']' || c == '}')
    return std::string("unexpected '") + c + "' (a flow indicator outside [...] or {...}?)";
  if (c > ' ' && c < 0x7f) return std::string("unexpected '") + c + "'";
  return "unexpected text";
}

void syntax_error(const SourceLocation& at, std::string message, Diagnostics& diagnostics) {
  Diagnostic d;
  d.code = "spec.yaml_syntax";
  d.location = at;
  d.message = "invalid YAML: " + std::move(message);
  diagnostics.push_back(std::move(d));
}

}  // namespace

std::vector<YamlDocument> parse_yaml_documents(const std::string& text, const std::string& file,
                                               const SourceLimits& limits, Diagnostics& diagnostics) {
  const MarkConverter marks(text, file);
  YamlEventConverter converter(marks, limits);
  TextBuffer buffer(text);
  std::istream in(&buffer);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(converter)) {
      // A syntax error anywhere yields no documents and none of their findings, so what
      // was converted before it is dropped with it.
      if (converter.stuck()) {
        syntax_error(marks(converter.document_mark()), describe_token_at(text, converter.document_mark()),
                     diagnostics);
        return {};
      }
    }
  } catch (const YAML::Exception& e) {
    syntax_error(marks(e.mark), e.msg, diagnostics);
    return {};
  }
  for (auto& d : converter.diagnostics()) diagnostics.push_back(std::move(d));
  return std::move(converter.documents());
}

}  // namespace provision::spec
