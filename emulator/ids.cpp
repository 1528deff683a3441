// Random identifiers drawn from an injectable Random, so tests can predict them.
#include "emulator/ids.hpp"

#include <algorithm>

namespace provision::emulator {
namespace {

constexpr std::string_view kLowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789";

std::string lower_alnum(Random& random, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += kLowerAlnum[random.below(kLowerAlnum.size())];
  return out;
}

bool all_lower_alnum(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
}

}  // namespace

std::string make_request_id(Random& random) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (int group : {8, 4, 4, 4, 12}) {
    if (!out.empty()) out += '-';
    for (int i = 0; i < group; ++i) out += kHex[random.below(16)];
  }
  return out;
}

std::string make_cluster_id(Random& random) { return "ray-" + lower_alnum(random, 16); }

std::string make_instance_id(const std::string& cluster_id, Random& random) {
  return cluster_id + "-" + lower_alnum(random, 8);
}

bool is_workspace_id(const std::string& id) {
  return id.size() > 2 && id.compare(0, 2, "w-") == 0 && all_lower_alnum(std::string_view(id).substr(2));
}

bool is_cluster_id(const std::string& id) {
  return id.size() == 20 && id.compare(0, 4, "ray-") == 0 && all_lower_alnum(std::string_view(id).substr(4));
}

}  // namespace provision::emulator
