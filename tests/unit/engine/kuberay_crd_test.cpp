// Every rendered manifest against the RayCluster CRD's openAPIV3Schema (KubeRay feeaf72,
// tests/data/kuberay/ray.io_rayclusters.yaml), checked with valijson on Boost.JSON.
#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>
#include <filesystem>

#include "engine/kuberay_fields.hpp"
#include "engine/kuberay_manifest.hpp"
#include "spec/schema_validator.hpp"
#include "spec/spec_loader.hpp"
#include "spec/yaml_document.hpp"
#include "support/temp_dir.hpp"
#include "unit/spec/golden_env.hpp"

using namespace provision;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

// The v1 openAPIV3Schema, converted once (the cache in validate_against_schema keys on its address).
const json::object& crd_schema() {
  static const json::object schema = [] {
    const fs::path path = fs::path(PROVISION_TEST_DATA_DIR) / "kuberay" / "ray.io_rayclusters.yaml";
    spec::SourceLimits limits;
    limits.max_bytes = 16u << 20;
    limits.max_depth = 1000;
    limits.max_values = 10'000'000;
    limits.max_file_values = 10'000'000;
    limits.max_string_bytes = 64u << 20;
    Diagnostics diagnostics;
    auto documents = spec::parse_yaml_documents(test::read_file(path), path.string(), limits, diagnostics);
    for (const auto& d : diagnostics) MESSAGE(d.message);
    REQUIRE(documents.size() == 1);
    for (const auto& version : documents[0].root.at("spec").at("versions").as_array())
      if (version.at("name") == "v1") return version.at("schema").at("openAPIV3Schema").as_object();
    FAIL("no v1 version in the CRD");
    return json::object();
  }();
  return schema;
}

std::vector<std::string> schema_errors(const json::value& manifest) {
  std::vector<std::string> errors;
  for (const auto& e : spec::validate_against_schema(crd_schema(), manifest))
    errors.push_back(e.pointer + ": " + e.description);
  return errors;
}

std::vector<spec::ClusterSpec> load(const fs::path& path) {
  spec::LoadOptions options;
  options.env = test::golden_env_lookup();  // what tests/data/spec/valid expects
  auto set = spec::load_specs({path.string()}, options);
  REQUIRE_FALSE(has_errors(set.diagnostics));
  return std::move(set.clusters);
}

}  // namespace

TEST_CASE("every example and every valid test spec renders to a manifest the CRD accepts") {
  std::size_t checked = 0;
  for (const fs::path& dir : {fs::path(PROVISION_SOURCE_DIR) / "specs" / "examples",
                              fs::path(PROVISION_TEST_DATA_DIR) / "spec" / "valid"}) {
    for (auto cluster : load(dir)) {
      CAPTURE(cluster.location.file);
      // Names such as testRayCluster are valid for EMR; the rest of their mapping is still checked.
      if (!engine::is_dns1123_label(cluster.name)) cluster.name = "renamed";
      engine::KubeRayOptions options;
      options.image = "registry.local/ray:test";  // some test specs carry no version
      auto rendered = engine::render_kuberay(cluster, options);
      REQUIRE_FALSE(has_errors(rendered.diagnostics));
      CHECK(schema_errors(rendered.manifest) == std::vector<std::string>{});
      ++checked;
    }
  }
  CHECK(checked >= 10);
}

TEST_CASE("the CRD check fails on a manifest that breaks the schema") {
  auto clusters = load(fs::path(PROVISION_SOURCE_DIR) / "specs" / "examples" / "dev.yaml");
  auto manifest = engine::render_kuberay(clusters.at(0), {}).manifest;
  REQUIRE(schema_errors(manifest).empty());
  SUBCASE("replicas as a string") {
    manifest["spec"].as_object()["workerGroupSpecs"].as_array()[0].as_object()["replicas"] = "2";
  }
  SUBCASE("no groupName") {
    manifest["spec"].as_object()["workerGroupSpecs"].as_array()[0].as_object().erase("groupName");
  }
  SUBCASE("rayStartParams value not a string") {
    manifest["spec"].as_object()["headGroupSpec"].as_object()["rayStartParams"] =
        json::object{{"num-cpus", 2}};
  }
  SUBCASE("unknown upgrade strategy") {
    manifest["spec"].as_object()["upgradeStrategy"] = json::object{{"type", "Sometimes"}};
  }
  CHECK_FALSE(schema_errors(manifest).empty());
}
