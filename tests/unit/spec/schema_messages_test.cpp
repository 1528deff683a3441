// Schema messages quote the offending value, cut when long: the cut must not split a
// UTF-8 character or a JSON escape (the messages are printed inside JSON output).
#include <doctest/doctest.h>

#include <string>

#include "core/utf8.hpp"
#include "spec/source_text.hpp"
#include "spec/spec_loader.hpp"

using namespace provision;

namespace {

// The first diagnostic message about apiVersion when its YAML text is `scalar`.
std::string api_version_message(const std::string& scalar) {
  spec::LoadOptions o;
  o.env = [](const std::string&) { return std::nullopt; };
  auto set = spec::load_spec_text("apiVersion: " + scalar +
                                      "\nkind: RayCluster\nmetadata: {name: n, workspaceId: w-1, regionId: "
                                      "cn-hangzhou}\nspec: {}\n",
                                  "m.yaml", o);
  for (const auto& d : set.diagnostics)
    if (d.pointer == "/apiVersion") return d.message;
  return "(no diagnostic for /apiVersion)";
}

bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = provision::utf8_sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace

TEST_CASE("a long value is cut before a multi-byte character, not inside it") {
  // The quoted text is '"' + value: bytes 56..59 are the rocket, the old cut was at 58.
  const std::string message =
      api_version_message("'" + std::string(55, 'a') + "\xf0\x9f\x9a\x80" + "tail-tail'");
  CHECK(valid_utf8(message));
  CHECK(message.find("\"" + std::string(55, 'a') + "...\"") != std::string::npos);
  CHECK(message.find("\xf0") == std::string::npos);

  const std::string accents = api_version_message("'" + std::string(56, 'b') + "\xc3\xa9\xc3\xa9\xc3\xa9'");
  CHECK(valid_utf8(accents));
  CHECK(accents.find("\"" + std::string(56, 'b') + "...\"") != std::string::npos);
}

TEST_CASE("a long value is cut before a JSON escape, not inside it") {
  // '"' + 56 bytes, then a 2-byte escape at 57..58 and a 6-byte one at 55..60.
  const std::string quote =
      api_version_message("'" + std::string(56, 'c') + "\"" + std::string(10, 'c') + "'");
  CHECK(quote.find("\"" + std::string(56, 'c') + "...\"") != std::string::npos);
  const std::string slash =
      api_version_message("'" + std::string(56, 'd') + "\\" + std::string(10, 'd') + "'");
  CHECK(slash.find("\"" + std::string(56, 'd') + "...\"") != std::string::npos);
  const std::string control =
      api_version_message("\"" + std::string(54, 'f') + "\\x01" + std::string(10, 'f') + "\"");
  CHECK(control.find("\"" + std::string(54, 'f') + "...\"") != std::string::npos);
}

TEST_CASE("a long ASCII value keeps its first 57 bytes") {
  const std::string message = api_version_message(std::string(80, 'e'));
  CHECK(message.find("\"" + std::string(57, 'e') + "...\"") != std::string::npos);
}
