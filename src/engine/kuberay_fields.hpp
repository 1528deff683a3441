// Pure parsers behind `render --to kuberay`: the pieces of an EMR spec whose KubeRay form
// is a different shape (a version string, a CLI string, KEY=VALUE lines, a name rule).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace provision::engine {

// The Ray and Python versions named by a displayReleaseVersion.
struct RayRelease {
  std::string ray;     // "2.47.1"
  std::string python;  // "3.12"
};

// "ray-1.0.0 (Ray 2.47.1, Python 3.12)" -> {2.47.1, 3.12}; nullopt when either is missing.
std::optional<RayRelease> parse_release_version(std::string_view text);

// The official image for a release: rayproject/ray:2.47.1-py312.
std::string default_ray_image(const RayRelease& release);

// True for a Kubernetes DNS-1123 label: 1 to 63 of [a-z0-9-], starting and ending alphanumeric.
bool is_dns1123_label(std::string_view name);

// `rayStartParams` as a map. "--num-cpus=2 --block --port 6379" -> {num-cpus: "2",
// block: "true", port: "6379"}. Tokens split on white space; a later key wins. A token
// that is neither an option nor an option's value is left out and appended to `ignored`.
boost::json::object parse_ray_start_params(std::string_view text, std::vector<std::string>& ignored);

// Newline-separated KEY=VALUE lines -> [{name, value}], in order. Blank lines are skipped;
// a line without '=' or with an empty KEY is left out and appended to `ignored`.
boost::json::array parse_env_lines(std::string_view text, std::vector<std::string>& ignored);

}  // namespace provision::engine
