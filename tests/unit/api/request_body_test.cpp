// Body bytes, URL parts and redaction; the golden bodies in tests/data/spec/valid are
// compared byte for byte (one line per document).
#include "api/request_body.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <filesystem>

#include "../spec/golden_env.hpp"
#include "core/percent_encoding.hpp"
#include "spec/spec_loader.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace provision;

TEST_CASE("valid spec cases produce exactly their expected body bytes") {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(PROVISION_TEST_DATA_DIR) / "spec" / "valid"))
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 8);
  for (const auto& file : files) {
    SUBCASE(file.filename().string().c_str()) {
      spec::LoadOptions options;
      options.env = test::golden_env_lookup();
      auto set = spec::load_spec_text(test::read_file(file), file.filename().string(), options);
      REQUIRE(set.diagnostics.empty());
      std::string bodies;
      for (const auto& c : set.clusters) bodies += api::create_body(c) + "\n";
      auto expected = file;
      expected.replace_extension(".body.json");
      CHECK(bodies == test::read_file(expected));
    }
  }
}

TEST_CASE("the body of api.md's derived CreateRayCluster vector") {
  spec::ClusterSpec c;
  c.name = "testRayCluster";
  c.spec = boost::json::parse(R"js({"displayReleaseVersion":"ray-1.0.0 (Ray 2.47.1, Python 3.12)",)js"
                              R"js("headSpec":{"queueName":"root_queue","cpu":"2","memory":"8Gi"}})js")
               .as_object();
  CHECK(api::create_body(c) ==
        R"js({"name":"testRayCluster","displayReleaseVersion":"ray-1.0.0 (Ray 2.47.1, Python 3.12)",)js"
        R"js("headSpec":{"queueName":"root_queue","cpu":"2","memory":"8Gi"}})js");
}

TEST_CASE("the body puts name first: alone for an empty spec, the spec's own name if it has one") {
  spec::ClusterSpec c;
  c.name = "n\"q";
  CHECK(api::create_body(c) == R"({"name":"n\"q"})");
  c.spec = boost::json::parse(R"({"description":"d","name":"own"})").as_object();
  CHECK(api::create_body(c) == R"({"name":"own","description":"d"})");
}

TEST_CASE("redact_secrets hides redisPassword and nothing else") {
  auto body =
      boost::json::parse(R"({"name":"n","headSpec":{"gftConfig":{"redisUrl":"u","redisPassword":"pw"}},)"
                         R"("workerSpec":[{"redisPassword":"not a secret field here"}]})");
  auto redacted = api::redact_secrets(body);
  CHECK(redacted.at("headSpec").at("gftConfig").at("redisPassword") == "***");
  CHECK(redacted.at("headSpec").at("gftConfig").at("redisUrl") == "u");
  CHECK(redacted.at("workerSpec").at(0).at("redisPassword") == "not a secret field here");
  CHECK(body.at("headSpec").at("gftConfig").at("redisPassword") == "pw");  // a copy was changed
}

TEST_CASE("path parameters are RFC 3986 encoded (toolchain.md section 7 vector)") {
  CHECK(percent_encode("w-ab c/d+e*f~g(ü)'!&=?#%") ==
        "w-ab%20c%2Fd%2Be%2Af~g%28%C3%BC%29%27%21%26%3D%3F%23%25");
  CHECK(percent_encode("AZaz09-_.~") == "AZaz09-_.~");
  CHECK(api::cluster_collection_path("w-d2d82aa09155") == "/api/v1/workspaces/w-d2d82aa09155/rayCluster");
  CHECK(api::cluster_collection_path("a/b") == "/api/v1/workspaces/a%2Fb/rayCluster");
}
