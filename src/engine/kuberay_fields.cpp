// Parsing only; no knowledge of where the text came from (kuberay_manifest locates findings).
#include "engine/kuberay_fields.hpp"

#include <cctype>

namespace provision::engine {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The version text after `label` ("Ray ", "Python "): digits, dots and the usual suffix characters.
std::string version_after(std::string_view text, std::string_view label) {
  const auto at = text.find(label);
  if (at == std::string_view::npos) return {};
  std::string out;
  for (std::size_t i = at + label.size(); i < text.size(); ++i) {
    const char c = text[i];
    if (!(is_digit(c) || c == '.' || std::isalpha(static_cast<unsigned char>(c)) || c == '+' || c == '-'))
      break;
    out += c;
  }
  return !out.empty() && is_digit(out.front()) ? out : std::string();
}

std::vector<std::string_view> split_white_space(std::string_view text) {
  std::vector<std::string_view> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    const std::size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) tokens.push_back(text.substr(start, i - start));
  }
  return tokens;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<RayRelease> parse_release_version(std::string_view text) {
  RayRelease release{version_after(text, "Ray "), version_after(text, "Python ")};
  if (release.ray.empty() || release.python.empty()) return std::nullopt;
  return release;
}

std::string default_ray_image(const RayRelease& release) {
  // Python "3.12" -> "py312": the image tags use the major and minor numbers only.
  std::string python;
  int dots = 0;
  for (char c : release.python) {
    if (c == '.' && ++dots == 2) break;
    if (is_digit(c)) python += c;
  }
  return "rayproject/ray:" + release.ray + "-py" + python;
}

bool is_dns1123_label(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  auto alnum = [](char c) { return is_digit(c) || (c >= 'a' && c <= 'z'); };
  for (char c : name)
    if (!alnum(c) && c != '-') return false;
  return alnum(name.front()) && alnum(name.back());
}

boost::json::object parse_ray_start_params(std::string_view text, std::vector<std::string>& ignored) {
  boost::json::object params;
  const auto tokens = split_white_space(text);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    std::string_view token = tokens[i];
    if (token.size() <= 2 || token.substr(0, 2) != "--") {
      ignored.emplace_back(token);
      continue;
    }
    token.remove_prefix(2);
    const auto eq = token.find('=');
    if (eq == 0) {
      ignored.emplace_back(tokens[i]);
    } else if (eq != std::string_view::npos) {
      params[token.substr(0, eq)] = token.substr(eq + 1);
    } else if (i + 1 < tokens.size() && tokens[i + 1].substr(0, 1) != "-") {
      params[token] = tokens[++i];
    } else {
      params[token] = "true";
    }
  }
  return params;
}

boost::json::array parse_env_lines(std::string_view text, std::vector<std::string>& ignored) {
  boost::json::array env;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty()) continue;
    const auto eq = line.find('=');
    const std::string_view name =
        eq == std::string_view::npos ? std::string_view() : trim(line.substr(0, eq));
    if (name.empty()) {
      ignored.emplace_back(trim(line));
      continue;
    }
    env.push_back(boost::json::object{{"name", name}, {"value", line.substr(eq + 1)}});
  }
  return env;
}

}  // namespace provision::engine
