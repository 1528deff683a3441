// `provision validate` as a process: exact golden diagnostics, exit codes, JSON output,
// stdin, directories, and bad inputs that must never crash or hang.
#include <doctest/doctest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <csignal>
#include <filesystem>
#include <sstream>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace provision::test;

namespace {

const fs::path kInvalid = fs::path(PROVISION_TEST_DATA_DIR) / "spec" / "invalid";

RunOptions golden_run_options(const std::string& cwd) {
  RunOptions o;
  o.cwd = cwd;
  o.env = {{"SPEC_TEST_NAME", "from-env"},
           {"SPEC_TEST_WORKERS", "3"},
           {"SPEC_TEST_EMPTY", ""},
           {"SPEC_TEST_SECRET", "s3cr3t-from-env"},
           {"NO_COLOR", "1"}};
  o.unset_env = {"SPEC_TEST_UNSET"};
  o.timeout = std::chrono::seconds(60);
  return o;
}

const char* kValid =
    "apiVersion: provision/v1\nkind: RayCluster\nmetadata: {name: NAME, workspaceId: w-1, regionId: "
    "cn-hangzhou}\n"
    "spec: {headSpec: {cpu: 2}}\n";

std::string valid_doc(const std::string& name) {
  std::string s = kValid;
  s.replace(s.find("NAME"), 4, name);
  return s;
}

}  // namespace

TEST_CASE("every invalid case prints exactly its expected diagnostics and exits 4") {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(kInvalid))
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 30);
  for (const auto& file : files) {
    SUBCASE(file.filename().string().c_str()) {
      auto r = run({PROVISION_BINARY, "validate", file.filename().string()},
                   golden_run_options(kInvalid.string()));
      auto expected = file;
      expected.replace_extension(".expected");
      CHECK(r.exit_code == 4);
      CHECK(r.err == read_file(expected));
      CHECK(r.out.empty());
    }
  }
}

TEST_CASE("valid specs: exit 0 and a summary") {
  auto r = run({PROVISION_BINARY, "validate", std::string(PROVISION_SOURCE_DIR) + "/specs/examples"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "3 cluster specs valid\n");
  CHECK(r.err.empty());
}

TEST_CASE("--output json prints one object per diagnostic") {
  auto r =
      run({PROVISION_BINARY, "validate", "--output", "json", "unknown_keys.yaml", "secret_redacted.yaml"},
          golden_run_options(kInvalid.string()));
  CHECK(r.exit_code == 4);
  std::istringstream lines(r.out);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    auto v = boost::json::parse(line).as_object();
    for (const char* key : {"file", "line", "column", "pointer", "code", "message"}) CHECK(v.contains(key));
    ++count;
  }
  CHECK(count == 7);
  CHECK(
      r.out.find(
          R"({"file":"unknown_keys.yaml","line":7,"column":3,"pointer":"/metadata/nmae",)"
          R"("code":"spec.schema.unknown_key","message":"unknown key 'nmae'","hint":"did you mean 'name'?"})") !=
      std::string::npos);
  CHECK(r.out.find("12345678") == std::string::npos);
}

TEST_CASE("stdin, directories and several paths at once") {
  TempDir dir;
  dir.write("specs/a.yaml", valid_doc("a"));
  dir.write("specs/nested/b.yml", valid_doc("b") + "---\n" + valid_doc("c"));
  RunOptions o;
  o.stdin_data = valid_doc("d");
  auto r = run({PROVISION_BINARY, "validate", (dir / "specs").string(), "-"}, o);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "4 cluster specs valid\n");

  auto dup = run({PROVISION_BINARY, "validate", (dir / "specs").string(), (dir / "specs/a.yaml").string()});
  CHECK(dup.exit_code == 4);
  CHECK(dup.err.find("spec.duplicate_cluster") != std::string::npos);
}

TEST_CASE("no PATH is a usage error, a missing file is a spec error") {
  CHECK(run({PROVISION_BINARY, "validate"}).exit_code == 3);
  auto r = run({PROVISION_BINARY, "validate", "/nonexistent/spec.yaml"});
  CHECK(r.exit_code == 4);
  CHECK(r.err.rfind("/nonexistent/spec.yaml: error: cannot read", 0) == 0);
}

TEST_CASE("a 100 MB file and an endless stdin are refused by size") {
  TempDir dir;
  auto big = dir.write("big.yaml", "");
  fs::resize_file(big, 100u << 20);
  auto r = run({PROVISION_BINARY, "validate", big.string()});
  CHECK(r.exit_code == 4);
  CHECK(r.err.find(
            "the input is 104857600 bytes; specs are limited to 4194304 bytes (4 MiB) [spec.size_limit]") !=
        std::string::npos);

  // provision stops reading at the cap, so the harness may write into a closed pipe.
  std::signal(SIGPIPE, SIG_IGN);
  RunOptions o;
  o.stdin_data = std::string(6u << 20, '#');
  auto piped = run({PROVISION_BINARY, "validate", "-"}, o);
  CHECK(piped.exit_code == 4);
  CHECK(piped.err.find("-: error: the input is more than 4194304 bytes") == 0);
}

TEST_CASE("a large but legal file with huge aliases stays bounded") {
  TempDir dir;
  std::string text = "a: &a \"" + std::string(1u << 20, 'x') + "\"\nb: [";
  for (int i = 0; i < 100; ++i) text += "*a, ";
  text += "*a]\n";
  auto file = dir.write("wide.yaml", text);
  auto r = run({PROVISION_BINARY, "validate", file.string()});
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("[spec.alias_limit]") != std::string::npos);
}

TEST_CASE("--output json on valid specs prints nothing and exits 0") {
  auto r = run({PROVISION_BINARY, "validate", "--output", "json",
                std::string(PROVISION_SOURCE_DIR) + "/specs/examples"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
}

// Inputs the fuzzer found (tests/fuzz/regressions/spec_fuzz): each once hung or printed
// invalid UTF-8. The timeout bounds the old endless loop; a prompt exit 4 is the fix.
TEST_CASE("fuzzer reproducers: a prompt located error, and valid UTF-8 JSON lines") {
  const fs::path dir = fs::path(PROVISION_SOURCE_DIR) / "tests" / "fuzz" / "regressions" / "spec_fuzz";
  RunOptions o;
  o.timeout = std::chrono::seconds(20);

  auto hang = run({PROVISION_BINARY, "validate", (dir / "yaml_cpp_loadall_hang.yaml").string()}, o);
  CHECK(hang.signal == 0);
  CHECK(hang.exit_code == 4);
  CHECK(hang.err.find("yaml_cpp_loadall_hang.yaml:1:1: error: invalid YAML: unexpected ','") !=
        std::string::npos);
  CHECK(hang.err.find("[spec.yaml_syntax]") != std::string::npos);

  auto cut = run({PROVISION_BINARY, "validate", "--output", "json",
                  (dir / "message_truncated_inside_utf8.yaml").string()},
                 o);
  CHECK(cut.signal == 0);
  CHECK(cut.exit_code == 4);
  std::istringstream lines(cut.out);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    boost::system::error_code ec;
    auto v = boost::json::parse(line, ec);  // rejects invalid UTF-8
    CHECK_MESSAGE(!ec, line);
    ++count;
  }
  CHECK(count > 0);
}
