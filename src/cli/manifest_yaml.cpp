// yaml-cpp decides the quoting it needs for syntax; re-typing is our concern (see header).
#include "cli/manifest_yaml.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace provision::cli {
namespace {

// True when a plain scalar with this text would not read back as a string (YAML 1.1 or 1.2).
bool would_retype(std::string_view s) {
  if (s.empty()) return true;
  std::string lower(s);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  static constexpr std::array<std::string_view, 12> kWords{"true", "false", "yes",  "no", "on",   "off",
                                                           "y",    "n",     "null", "~",  ".inf", ".nan"};
  if (std::find(kWords.begin(), kWords.end(), lower) != kWords.end()) return true;
  const char first = s.front();
  if (!(std::isdigit(static_cast<unsigned char>(first)) || first == '+' || first == '-' || first == '.'))
    return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) ||
           std::string_view("+-._:xXoO").find(c) != std::string_view::npos;
  });
}

void emit(YAML::Emitter& out, const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::object:
      if (value.as_object().empty()) out << YAML::Flow;  // `{}` on the key's line
      out << YAML::BeginMap;
      for (const auto& [key, item] : value.as_object()) {
        out << YAML::Key << std::string(key) << YAML::Value;
        emit(out, item);
      }
      out << YAML::EndMap;
      break;
    case boost::json::kind::array:
      if (value.as_array().empty()) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const auto& item : value.as_array()) emit(out, item);
      out << YAML::EndSeq;
      break;
    case boost::json::kind::string: {
      const std::string text(value.as_string());
      if (would_retype(text)) out << YAML::DoubleQuoted;
      out << text;
      break;
    }
    case boost::json::kind::bool_:
      out << value.as_bool();
      break;
    case boost::json::kind::int64:
      out << value.as_int64();
      break;
    case boost::json::kind::uint64:
      out << value.as_uint64();
      break;
    case boost::json::kind::double_:
      out << value.as_double();
      break;
    case boost::json::kind::null:
      out << YAML::Null;
      break;
  }
}

}  // namespace

std::string to_yaml_text(const boost::json::value& value) {
  YAML::Emitter out;
  out.SetIndent(2);
  emit(out, value);
  return out.c_str();
}

}  // namespace provision::cli
