// Tables for the pure parsers behind render --to kuberay.
#include "engine/kuberay_fields.hpp"

#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>

using namespace provision::engine;

TEST_CASE("displayReleaseVersion gives the Ray and Python versions and the default image") {
  struct Case {
    const char* text;
    const char* ray;  // "" = no release
    const char* image;
  };
  const Case cases[] = {
      {"ray-1.0.0 (Ray 2.47.1, Python 3.12)", "2.47.1", "rayproject/ray:2.47.1-py312"},
      {"ray-1.2.0 (Ray 2.55.1, Python 3.12)", "2.55.1", "rayproject/ray:2.55.1-py312"},
      {"(Ray 2.9.0, Python 3.9.18)", "2.9.0", "rayproject/ray:2.9.0-py39"},
      {"ray-1.0.0", "", ""},
      {"Ray 2.47.1 only", "", ""},
      {"Python 3.12, Ray x", "", ""},
      {"", "", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    auto release = parse_release_version(c.text);
    if (*c.ray == '\0') {
      CHECK_FALSE(release);
      continue;
    }
    REQUIRE(release);
    CHECK(release->ray == c.ray);
    CHECK(default_ray_image(*release) == c.image);
  }
}

TEST_CASE("DNS-1123 labels") {
  const std::string longest(63, 'a');
  for (const char* good : {"a", "dev-ray", "train-gpu", "0abc", "a1", longest.c_str()}) {
    CAPTURE(good);
    CHECK(is_dns1123_label(good));
  }
  const std::string too_long(64, 'a');
  for (const char* bad :
       {"", "Dev", "dev_ray", "-dev", "dev-", "dev.ray", "dév", "dev ray", too_long.c_str()}) {
    CAPTURE(bad);
    CHECK_FALSE(is_dns1123_label(bad));
  }
}

TEST_CASE("rayStartParams becomes a map of strings") {
  struct Case {
    const char* text;
    const char* map;
    const char* ignored;  // joined with '|'
  };
  const Case cases[] = {
      {"--num-cpus=0 --num-gpus=0", R"({"num-cpus":"0","num-gpus":"0"})", ""},
      {"--port 6379 --block", R"({"port":"6379","block":"true"})", ""},
      {"  --a=1\n\t--b=x=y  ", R"({"a":"1","b":"x=y"})", ""},
      {"--a=1 --a=2", R"({"a":"2"})", ""},
      {"--metrics-export-port=8080 stray -x --=v", R"({"metrics-export-port":"8080"})", "stray|-x|--=v"},
      {"--flag -- ", R"({"flag":"true"})", "--"},
      {"", "{}", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    std::vector<std::string> ignored;
    CHECK(boost::json::serialize(parse_ray_start_params(c.text, ignored)) == c.map);
    std::string joined;
    for (const auto& i : ignored) joined += (joined.empty() ? "" : "|") + i;
    CHECK(joined == c.ignored);
  }
}

TEST_CASE("env lines become container env") {
  std::vector<std::string> ignored;
  auto env =
      parse_env_lines("NCCL_DEBUG=INFO\r\n\nOMP_NUM_THREADS=8\nEMPTY=\nA=b=c\nnoequals\n =x\n", ignored);
  CHECK(boost::json::serialize(env) ==
        R"([{"name":"NCCL_DEBUG","value":"INFO"},{"name":"OMP_NUM_THREADS","value":"8"},)"
        R"({"name":"EMPTY","value":""},{"name":"A","value":"b=c"}])");
  REQUIRE(ignored.size() == 2);
  CHECK(ignored[0] == "noequals");
  CHECK(ignored[1] == "=x");
}
