// `provision render --to kuberay` as a process: golden manifests for the examples, JSON
// output, warnings on stderr, located name errors, and a password that never appears.
#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace provision::test;

namespace {

const fs::path kGolden = fs::path(PROVISION_TEST_DATA_DIR) / "kuberay";

RunOptions render_options(const std::string& cwd = PROVISION_SOURCE_DIR) {
  RunOptions o;
  o.cwd = cwd;
  o.env = {{"NO_COLOR", "1"}};
  // staging.yaml reads these, with defaults: the goldens hold the defaults.
  o.unset_env = {"RAY_CLUSTER_NAME", "RAY_WORKSPACE_ID", "RAY_REGION", "CI_COMMIT_SHA",
                 "REDIS_URL",        "REDIS_PASSWORD",   "RAY_WORKERS"};
  o.timeout = std::chrono::seconds(60);
  return o;
}

RunResult render(std::vector<std::string> args, const RunOptions& options = render_options()) {
  args.insert(args.begin(), PROVISION_BINARY);
  return run(args, options);
}

}  // namespace

TEST_CASE("render prints the golden manifest and warnings of each example") {
  for (const char* name : {"dev", "gpu", "staging"}) {
    CAPTURE(name);
    auto r = render({"render", "--to", "kuberay", std::string("specs/examples/") + name + ".yaml"});
    CHECK(r.exit_code == 0);
    CHECK(r.out == read_file(kGolden / (std::string(name) + ".yaml")));
    CHECK(r.err == read_file(kGolden / (std::string(name) + ".stderr")));
  }
}

TEST_CASE("render of a directory prints one document per spec, and --output json one line each") {
  auto yaml = render({"render", "--to", "kuberay", "specs/examples/"});
  REQUIRE(yaml.exit_code == 0);
  std::string all;
  for (const char* name : {"dev", "gpu", "staging"})
    all += read_file(kGolden / (std::string(name) + ".yaml"));
  CHECK(yaml.out == all);

  auto json = render({"render", "--to", "kuberay", "--output", "json", "specs/examples/"});
  REQUIRE(json.exit_code == 0);
  std::istringstream lines(json.out);
  std::vector<std::string> names;
  for (std::string line; std::getline(lines, line);) {
    auto manifest = boost::json::parse(line).as_object();
    CHECK(manifest.at("apiVersion") == "ray.io/v1");
    CHECK(manifest.at("kind") == "RayCluster");
    names.emplace_back(manifest.at("metadata").at("name").as_string());
  }
  CHECK(names == std::vector<std::string>{"dev-ray", "train-gpu", "staging-ray"});
  CHECK(json.err.find("\"code\":\"render.kuberay.unmapped\"") != std::string::npos);
}

TEST_CASE("render takes --namespace and --image, and checks them") {
  auto r = render({"render", "--to", "kuberay", "--namespace", "team-a", "--image", "my/ray:1",
                   "specs/examples/dev.yaml"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("namespace: team-a\n") != std::string::npos);
  CHECK(r.out.find("image: my/ray:1\n") != std::string::npos);
  CHECK(r.out.find("rayproject/ray") == std::string::npos);

  CHECK(render({"render", "--to", "kuberay", "--namespace", "Team_A", "specs/examples/dev.yaml"}).exit_code ==
        3);
  CHECK(render({"render", "--to", "helm", "specs/examples/dev.yaml"}).exit_code == 3);
  CHECK(render({"render", "specs/examples/dev.yaml"}).exit_code == 3);
}

TEST_CASE("a name that is not a DNS-1123 label is a located error, exit 4, nothing printed") {
  TempDir dir;
  std::ofstream(dir / "bad.yaml")
      << "apiVersion: provision/v1\nkind: RayCluster\n"
         "metadata: {name: Dev_Ray, workspaceId: w-1, regionId: cn-hangzhou}\n"
         "spec: {displayReleaseVersion: \"ray-1.0.0 (Ray 2.47.1, Python 3.12)\", headSpec: {cpu: 2}}\n";
  auto r = render({"render", "--to", "kuberay", "bad.yaml"}, render_options(dir.path().string()));
  CHECK(r.exit_code == 4);
  CHECK(r.out.empty());
  CHECK(r.err.find("bad.yaml:3:18: error: /metadata/name: a RayCluster name must be a DNS-1123 label") == 0);
  CHECK(r.err.find("[render.kuberay.name]") != std::string::npos);
}

TEST_CASE("the Redis password never appears in render's output") {
  auto options = render_options();
  std::erase(options.unset_env, "REDIS_PASSWORD");
  options.env["REDIS_PASSWORD"] = "pw-from-env-6f1c";
  auto r = render({"render", "--to", "kuberay", "specs/examples/staging.yaml"}, options);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("pw-from-env-6f1c") == std::string::npos);
  CHECK(r.err.find("pw-from-env-6f1c") == std::string::npos);
  CHECK(r.out.find("secretKeyRef:\n") != std::string::npos);
}
