// The CI recipes in doc/gitops.md: every ```yaml block parses, each recipe plans with
// --out and applies with --plan, and every provision command and option they use exists
// (checked against the real binary's --help).
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

using namespace provision::test;

namespace {

std::vector<std::string> yaml_blocks(const std::string& markdown) {
  std::vector<std::string> blocks;
  std::istringstream in(markdown);
  std::string line, block;
  bool inside = false;
  while (std::getline(in, line)) {
    if (!inside && line == "```yaml") {
      inside = true;
      block.clear();
    } else if (inside && line == "```") {
      inside = false;
      blocks.push_back(block);
    } else if (inside) {
      block += line + "\n";
    }
  }
  return blocks;
}

void scalars(const YAML::Node& node, std::vector<std::string>& out) {
  if (node.IsScalar()) out.push_back(node.as<std::string>());
  if (node.IsSequence())
    for (const auto& item : node) scalars(item, out);
  if (node.IsMap())
    for (const auto& item : node) {
      out.push_back(item.first.as<std::string>());
      scalars(item.second, out);
    }
}

struct Invocation {
  std::string command;
  std::vector<std::string> options;
  std::string text;
};

// Every "provision COMMAND --opt ..." in the scalars, up to a shell operator.
std::vector<Invocation> invocations(const std::vector<std::string>& texts) {
  std::vector<Invocation> found;
  for (const auto& text : texts) {
    std::istringstream words(text);
    std::vector<std::string> w{std::istream_iterator<std::string>(words), {}};
    for (std::size_t i = 0; i + 1 < w.size(); ++i) {
      if (w[i] != "provision") continue;
      Invocation inv{w[i + 1], {}, text};
      for (std::size_t j = i + 2; j < w.size(); ++j) {
        if (w[j] == ">" || w[j] == "|" || w[j] == "&&" || w[j] == ";" || w[j] == "\\") break;
        if (w[j].rfind("--", 0) == 0) inv.options.push_back(w[j].substr(0, w[j].find('=')));
      }
      found.push_back(inv);
    }
  }
  return found;
}

}  // namespace

TEST_CASE("doc/gitops.md: the recipes parse and use only commands and options that exist") {
  const std::string doc = read_file(std::string(PROVISION_SOURCE_DIR) + "/doc/gitops.md");
  const auto blocks = yaml_blocks(doc);
  REQUIRE(blocks.size() == 4);  // GitHub Actions, GitLab CI, Atlantis repos.yaml + atlantis.yaml
  std::vector<std::vector<Invocation>> per_block;
  for (const auto& block : blocks) {
    INFO(block);
    YAML::Node node;
    REQUIRE_NOTHROW(node = YAML::Load(block));
    CHECK(node.IsMap());
    std::vector<std::string> texts;
    scalars(node, texts);
    per_block.push_back(invocations(texts));
  }
  // Each CI system validates, plans with --out, posts or shows the plan, applies it with --plan.
  for (std::size_t b : {0u, 1u, 2u}) {
    CAPTURE(b);
    std::set<std::string> seen;
    for (const auto& inv : per_block[b]) {
      seen.insert(inv.command);
      for (const auto& o : inv.options) seen.insert(inv.command + " " + o);
    }
    CHECK(seen.count("validate"));
    CHECK(seen.count("plan --out"));
    CHECK(seen.count("apply --plan"));
    if (b < 2) CHECK(seen.count("show --output"));
    CHECK_FALSE(seen.count("apply --auto-approve"));  // the saved plan is what was approved
  }
  CHECK(doc.find("--output markdown") != std::string::npos);
  // Atlantis' project file names the workflow the server defines.
  CHECK(YAML::Load(blocks[3])["projects"][0]["workflow"].as<std::string>() == "provision");
  CHECK(YAML::Load(blocks[2])["workflows"]["provision"]["apply"]["steps"][0]["run"].as<std::string>().find(
            "apply --plan") != std::string::npos);

  std::map<std::string, std::string> help;
  for (const auto& block : per_block)
    for (const auto& inv : block) {
      INFO(inv.text);
      if (!help.count(inv.command)) {
        RunResult r = run({PROVISION_BINARY, inv.command, "--help"}, {});
        CHECK(r.exit_code == 0);
        help[inv.command] = r.out;
      }
      for (const auto& o : inv.options) {
        CAPTURE(o);
        CHECK(help[inv.command].find("  " + o + " ") != std::string::npos);
      }
    }
}
