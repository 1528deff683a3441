// The no-op cache: any damage, another binary or another schema gives a fresh derivation;
// a file with ${ is never cached and no secret reaches the cache file; a plan that needs a
// cached cluster's body gets it parsed.
#include "engine/spec_cache.hpp"

#include <doctest/doctest.h>

#include <string>

#include "api/signing/digest.hpp"
#include "core/error.hpp"
#include "engine/build_id.hpp"
#include "engine/cached_desired.hpp"
#include "support/temp_dir.hpp"

using namespace provision;
using engine::CachedDesired;
using engine::SpecCacheContext;

namespace {

const engine::SpecCacheKey kKey{"1.0+build-a", "schema-a"};

std::string spec_text(const std::string& name, const std::string& extra = "") {
  return "apiVersion: provision/v1\nkind: RayCluster\nmetadata: {name: " + name +
         ", workspaceId: w-1, regionId: cn-hangzhou}\nspec: {" + extra + "}\n";
}

spec::LoadOptions options_with(std::map<std::string, std::string> env = {}) {
  spec::LoadOptions o;
  o.env = [env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  return o;
}

struct Run {
  std::size_t derived = 0, cached = 0;
  std::vector<engine::DesiredCluster> desired;
};

Run load(const test::TempDir& dir, const engine::SpecCacheKey& key = kKey,
         const spec::LoadOptions& options = options_with()) {
  auto loaded = engine::load_desired_cached({(dir / "specs").string()}, options,
                                            SpecCacheContext{(dir / "cache").string(), key});
  REQUIRE(loaded);
  engine::save_spec_cache(*loaded);
  return {loaded->derived_files, loaded->cached_files, loaded->desired};
}

std::string api_hash_of(const std::filesystem::path& path) { return api::hex_sha256(test::read_file(path)); }

}  // namespace

TEST_CASE("spec cache: encode and decode keep every entry, under the same key only") {
  engine::SpecCache cache;
  cache.put(
      {"aa", "specs/a.yaml", {{{"cn-hangzhou", "w-1", "a"}, "h1"}, {{"cn-hangzhou", "w-1", "b"}, "h2"}}});
  const std::string bytes = cache.encode(kKey);
  const auto back = engine::SpecCache::decode(bytes, kKey);
  REQUIRE(back.find("aa", "specs/a.yaml"));
  CHECK(back.find("aa", "specs/a.yaml")->clusters.size() == 2);
  CHECK(back.find("aa", "specs/a.yaml")->clusters[1].body_sha256 == "h2");
  CHECK_FALSE(back.find("aa", "specs/other.yaml"));
  CHECK(engine::SpecCache::decode(bytes, {"1.0+build-b", "schema-a"}).size() == 0);
  CHECK(engine::SpecCache::decode(bytes, {"1.0+build-a", "schema-b"}).size() == 0);
  // Every single flipped byte and every truncation is seen.
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::string damaged = bytes;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x01);
    CHECK_MESSAGE(engine::SpecCache::decode(damaged, kKey).size() == 0, "flipped byte " << i);
    CHECK_MESSAGE(engine::SpecCache::decode(bytes.substr(0, i), kKey).size() == 0, "truncated at " << i);
  }
}

TEST_CASE("spec cache: an unchanged file is not parsed again, anything else is") {
  test::TempDir dir;
  dir.write("specs/a.yaml", spec_text("a"));
  dir.write("specs/b.yaml", spec_text("b") + "---\n" + spec_text("b2"));
  const Run first = load(dir);
  CHECK(first.derived == 2);
  CHECK(first.cached == 0);
  const Run second = load(dir);
  CHECK(second.derived == 0);
  CHECK(second.cached == 2);
  REQUIRE(second.desired.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(second.desired[i].identity == first.desired[i].identity);
    CHECK(second.desired[i].body_sha256 == first.desired[i].body_sha256);
    CHECK(second.desired[i].spec_file == first.desired[i].spec_file);
    CHECK(second.desired[i].body.empty());  // not derived
  }

  SUBCASE("a changed file") {
    dir.write("specs/a.yaml", spec_text("a", "description: changed"));
    const Run r = load(dir);
    CHECK(r.derived == 1);
    CHECK(r.cached == 1);
    CHECK(r.desired[0].body_sha256 != first.desired[0].body_sha256);
  }
  SUBCASE("a flipped byte in the cache") {
    std::string bytes = test::read_file(dir / "cache");
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x20);
    dir.write("cache", bytes);
    CHECK(load(dir).derived == 2);
    CHECK(load(dir).cached == 2);  // rebuilt
  }
  SUBCASE("an unreadable cache") {
    std::filesystem::remove(dir / "cache");
    std::filesystem::create_directory(dir / "cache");
    CHECK(load(dir).derived == 2);
  }
  SUBCASE("another binary") { CHECK(load(dir, {"1.0+build-b", "schema-a"}).derived == 2); }
  SUBCASE("another schema") { CHECK(load(dir, {"1.0+build-a", "schema-b"}).derived == 2); }
  SUBCASE("an entry that disagrees with its file is refused when the body is needed") {
    engine::SpecCache cache = engine::SpecCache::decode(test::read_file(dir / "cache"), kKey);
    const std::string file = first.desired[0].spec_file;
    const std::string sha = api_hash_of(dir / "specs/a.yaml");
    REQUIRE(cache.find(sha, file));
    cache.put({sha, file, {{first.desired[0].identity, std::string(64, '0')}}});
    dir.write("cache", cache.encode(kKey));
    auto loaded = engine::load_desired_cached({(dir / "specs").string()}, options_with(),
                                              SpecCacheContext{(dir / "cache").string(), kKey});
    REQUIRE(loaded);
    CHECK(loaded->desired[0].body_sha256 == std::string(64, '0'));
    CHECK_THROWS_AS(engine::derive_cached(*loaded, {0}, options_with()), Error);
  }
}

TEST_CASE("spec cache: a file with ${ is derived every time and no secret reaches the cache") {
  test::TempDir dir;
  dir.write("specs/a.yaml", spec_text("a", "headSpec: {gftConfig: {redisPassword: \"${SECRET}\"}}"));
  dir.write("specs/b.yaml", spec_text("b", "headSpec: {gftConfig: {redisPassword: literal-pw}}"));
  const auto options = options_with({{"SECRET", "hunter2-secret"}});
  CHECK(load(dir, kKey, options).derived == 2);
  const Run again = load(dir, kKey, options);
  CHECK(again.derived == 1);
  CHECK(again.cached == 1);
  CHECK_FALSE(again.desired[0].body.empty());
  const std::string cache = test::read_file(dir / "cache");
  CHECK(cache.find("hunter2-secret") == std::string::npos);
  CHECK(cache.find("literal-pw") == std::string::npos);
  CHECK(cache.find("a.yaml") == std::string::npos);
  CHECK(cache.find("b.yaml") != std::string::npos);
  // Another value of the variable is another body.
  const Run changed = load(dir, kKey, options_with({{"SECRET", "other"}}));
  CHECK(changed.desired[0].body_sha256 != again.desired[0].body_sha256);
}

TEST_CASE("spec cache: a finding, stdin or a duplicate identity leaves the ordinary load to report it") {
  test::TempDir dir;
  dir.write("specs/a.yaml", spec_text("a"));
  dir.write("specs/b.yaml", spec_text("b"));
  load(dir);
  dir.write("specs/c.yaml", spec_text("a"));  // the identity of a.yaml again
  CHECK_FALSE(engine::load_desired_cached({(dir / "specs").string()}, options_with(),
                                          SpecCacheContext{(dir / "cache").string(), kKey}));
  dir.write("specs/c.yaml", "metadata: [");
  CHECK_FALSE(engine::load_desired_cached({(dir / "specs").string()}, options_with(),
                                          SpecCacheContext{(dir / "cache").string(), kKey}));
  CHECK_FALSE(
      engine::load_desired_cached({"-"}, options_with(), SpecCacheContext{(dir / "cache").string(), kKey}));
}

TEST_CASE("spec cache: a plan that needs a cached body gets its file parsed") {
  test::TempDir dir;
  dir.write("specs/a.yaml", spec_text("a"));
  dir.write("specs/b.yaml", spec_text("b"));
  load(dir);
  auto loaded = engine::load_desired_cached({(dir / "specs").string()}, options_with(),
                                            SpecCacheContext{(dir / "cache").string(), kKey});
  REQUIRE(loaded);
  REQUIRE(loaded->cached_files == 2);
  engine::Plan plan;
  engine::PlannedAction same;
  same.kind = engine::ActionKind::kNoChange;
  same.identity = loaded->desired[0].identity;
  engine::PlannedAction update = same;
  update.kind = engine::ActionKind::kUpdate;
  update.identity = loaded->desired[1].identity;

  plan.actions = {same};
  CHECK(engine::inputs_needing_bodies(*loaded, plan, {}).empty());
  // A listing of its workspace compares bodies (drift).
  engine::LiveClusters listed;
  listed[{"cn-hangzhou", "w-1"}] = {};
  CHECK(engine::inputs_needing_bodies(*loaded, plan, listed) == std::set<std::size_t>{0});
  plan.actions = {same, update};
  const auto inputs = engine::inputs_needing_bodies(*loaded, plan, {});
  CHECK(inputs == std::set<std::size_t>{1});
  engine::derive_cached(*loaded, inputs, options_with());
  CHECK(loaded->desired[0].body.empty());
  CHECK_FALSE(loaded->desired[1].body.empty());
  CHECK(loaded->cached_files == 1);
  CHECK(engine::inputs_needing_bodies(*loaded, plan, {}).empty());
}

TEST_CASE("spec cache: the key names this build, not only its version") {
  const engine::SpecCacheKey key = engine::current_spec_cache_key();
  const std::string prefix = std::string(PROVISION_VERSION) + "+";
  REQUIRE(key.version.rfind(prefix, 0) == 0);
  const std::string id = key.version.substr(prefix.size());
  CHECK(id == engine::executable_build_id());
  CHECK(id.size() == 40);  // GNU ld's default SHA-1 build-id
  CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(key.schema_sha256.size() == 64);
}

TEST_CASE("spec cache: nothing is written until the run saves it") {
  test::TempDir dir;
  dir.write("specs/a.yaml", spec_text("a"));
  auto loaded = engine::load_desired_cached({(dir / "specs").string()}, options_with(),
                                            SpecCacheContext{(dir / "cache").string(), kKey});
  REQUIRE(loaded);
  CHECK_FALSE(std::filesystem::exists(dir / "cache"));
  engine::save_spec_cache(*loaded);
  CHECK(std::filesystem::exists(dir / "cache"));
}
