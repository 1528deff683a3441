// load_specs over real files: directories, stdin, duplicates across files, size cap.
#include "spec/spec_loader.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>

#include "support/temp_dir.hpp"

using namespace provision;

namespace {

const char* kDoc =
    "apiVersion: provision/v1\nkind: RayCluster\nmetadata: {name: NAME, workspaceId: w-1, regionId: "
    "cn-hangzhou}\n"
    "spec: {}\n";

std::string doc(const std::string& name) {
  std::string s = kDoc;
  s.replace(s.find("NAME"), 4, name);
  return s;
}

spec::LoadOptions no_env() {
  spec::LoadOptions o;
  o.env = [](const std::string&) { return std::nullopt; };
  return o;
}

}  // namespace

TEST_CASE("directories are searched recursively in sorted order, hidden entries skipped") {
  test::TempDir dir;
  dir.write("b/z.yaml", doc("z"));
  dir.write("a.yml", doc("a"));
  dir.write("b/c/m.yaml", doc("m"));
  dir.write("notes.txt", "not a spec");
  dir.write(".hidden/x.yaml", "this: [is not valid");
  dir.write(".skip.yaml", "neither: [is this");
  auto set = spec::load_specs({dir.path().string()}, no_env());
  CHECK(set.diagnostics.empty());
  REQUIRE(set.clusters.size() == 3);
  CHECK(set.clusters[0].name == "a");
  CHECK(set.clusters[1].name == "m");
  CHECK(set.clusters[2].name == "z");
  CHECK(set.clusters[1].location.file == (dir.path() / "b/c/m.yaml").generic_string());
  CHECK(set.clusters[1].location.line == 1);
}

TEST_CASE("a duplicate identity across files names both locations") {
  test::TempDir dir;
  auto first = dir.write("one.yaml", doc("same"));
  auto second = dir.write("two.yaml", "# leading comment\n" + doc("same"));
  auto set = spec::load_specs({first.string(), second.string()}, no_env());
  REQUIRE(set.diagnostics.size() == 1);
  const auto& d = set.diagnostics[0];
  CHECK(d.code == "spec.duplicate_cluster");
  CHECK(d.location.file == second.string());
  CHECK(d.location.line == 4);
  CHECK(d.message.find(first.string() + ":3:18") != std::string::npos);
}

TEST_CASE("- reads standard input") {
  std::istringstream in(doc("from-stdin"));
  auto options = no_env();
  options.stdin_stream = &in;
  auto set = spec::load_specs({"-"}, options);
  REQUIRE(set.clusters.size() == 1);
  CHECK(set.clusters[0].name == "from-stdin");
  CHECK(set.clusters[0].location.file == "-");
}

TEST_CASE("inputs over the size cap are refused before reading them whole") {
  test::TempDir dir;
  auto big = dir.path() / "big.yaml";
  dir.write("big.yaml", "");
  std::filesystem::resize_file(big, 100u << 20);  // sparse: 100 MB without writing them
  auto set = spec::load_specs({big.string()}, no_env());
  REQUIRE(set.diagnostics.size() == 1);
  CHECK(set.diagnostics[0].code == "spec.size_limit");
  CHECK(set.diagnostics[0].message.find("104857600 bytes") != std::string::npos);

  std::istringstream in(std::string(5u << 20, '#'));
  auto options = no_env();
  options.stdin_stream = &in;
  auto from_stdin = spec::load_specs({"-"}, options);
  REQUIRE(from_stdin.diagnostics.size() == 1);
  CHECK(from_stdin.diagnostics[0].code == "spec.size_limit");
}

TEST_CASE("missing paths and directories without specs are diagnostics") {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "empty");
  auto set =
      spec::load_specs({(dir.path() / "nope.yaml").string(), (dir.path() / "empty").string()}, no_env());
  REQUIRE(set.diagnostics.size() == 2);
  CHECK(set.diagnostics[0].code == "spec.io");
  CHECK(set.diagnostics[1].code == "spec.no_specs");
}

TEST_CASE("ClusterSpec carries identity and the spec in documented key order") {
  auto set = spec::load_spec_text(
      "apiVersion: provision/v1\nkind: RayCluster\n"
      "metadata: {name: n, workspaceId: w-9, regionId: us-west-1}\n"
      "spec: {workerSpec: [{cpu: 4, groupName: g}], description: d, headSpec: {memory: 8Gi, cpu: 2}}\n",
      "x.yaml", no_env());
  REQUIRE(set.clusters.size() == 1);
  const auto& c = set.clusters[0];
  CHECK(c.name == "n");
  CHECK(c.workspace_id == "w-9");
  CHECK(c.region_id == "us-west-1");
  std::vector<std::string> keys;
  for (const auto& kv : c.spec) keys.emplace_back(kv.key());
  CHECK(keys == std::vector<std::string>{"description", "headSpec", "workerSpec"});
  CHECK(c.spec.at("headSpec").as_object().begin()->key() == "cpu");
  CHECK(c.spec.at("headSpec").at("cpu") == "2");
  CHECK(c.spec.at("workerSpec").at(0).at("cpu") == "4");
}

TEST_CASE("secret values never appear in diagnostics, not even in source lines") {
  const std::string secret = "hunter2-secret";
  auto set = spec::load_spec_text(
      "apiVersion: provision/v1\nkind: RayCluster\n"
      "metadata: {name: n, workspaceId: w-9, regionId: us-west-1}\n"
      "spec:\n  headSpec:\n    gftConfig:\n      redisPassword: [" +
          secret + "]\n      redisPassword: " + secret + "\n      redisPasswrd: x\n",
      "x.yaml", no_env());
  REQUIRE(set.diagnostics.size() == 3);
  for (const auto& d : set.diagnostics) {
    CHECK(d.message.find(secret) == std::string::npos);
    CHECK(d.source_line.find(secret) == std::string::npos);
  }
  CHECK(set.diagnostics[0].source_line == "      redisPassword: ***");
}

TEST_CASE("a multi-line secret is hidden on every line") {
  auto set = spec::load_spec_text(
      "apiVersion: provision/v1\nkind: RayCluster\n"
      "metadata: {name: n, workspaceId: w-9, regionId: us-west-1}\n"
      "spec:\n  headSpec:\n    gftConfig:\n      redisPassword: {\n"
      "        hunter2: 1, hunter2: 2 }\n      redisUrl: 5\n",
      "x.yaml", no_env());
  REQUIRE(set.diagnostics.size() == 3);
  CHECK(set.diagnostics[0].code == "spec.schema.type");
  CHECK(set.diagnostics[0].source_line == "      redisPassword: ***");
  CHECK(set.diagnostics[1].code == "spec.duplicate_key");
  CHECK(set.diagnostics[1].source_line == "        ***");
  CHECK(set.diagnostics[1].message.find("hunter2") == std::string::npos);
  CHECK(set.diagnostics[2].source_line == "      redisUrl: 5");
}

TEST_CASE("a file with thousands of errors is summarised after the limit, quickly") {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "---\na: 1\na: 2\n";
  auto set = spec::load_spec_text(text, "many.yaml", no_env());
  REQUIRE(set.diagnostics.size() == 101);
  CHECK(set.diagnostics.back().code == "spec.too_many_errors");
  CHECK(set.diagnostics.back().message == "stopped after 100 errors in this file");

  std::string tabs;
  for (int i = 0; i < 50000; ++i) tabs += "a:\n\tb: 1\n";
  auto tabbed = spec::load_spec_text(tabs, "tabs.yaml", no_env());
  CHECK(tabbed.diagnostics.size() == 101);
}

TEST_CASE("a file of many documents loads each once, in order, located at its own line") {
  test::TempDir dir;
  std::string text;
  for (int i = 0; i < 5; ++i) text += "---\n" + doc("c" + std::to_string(i));
  auto file = dir.write("many.yaml", text);
  auto set = spec::load_specs({file.string()}, no_env());
  CHECK(set.diagnostics.empty());
  REQUIRE(set.clusters.size() == 5);
  for (int i = 0; i < 5; ++i) {
    CHECK(set.clusters[i].name == "c" + std::to_string(i));
    CHECK(set.clusters[i].location.line == 2 + 5 * i);  // the line after each "---"
  }
}

TEST_CASE("an invalid document among valid ones is reported at its line, the others still load") {
  test::TempDir dir;
  const std::string bad =
      "apiVersion: provision/v1\nkind: RayCluster\nmetadata: {name: bad, workspaceId: w-1, "
      "regionId: cn-hangzhou}\nspec: {unknownKey: 1}\n";
  auto file = dir.write("mixed.yaml", doc("a") + "---\n" + bad + "---\n" + doc("b"));
  auto set = spec::load_specs({file.string()}, no_env());
  REQUIRE(set.diagnostics.size() == 1);
  CHECK(set.diagnostics[0].location.line == 9);
  CHECK(set.clusters.size() == 2);
}
