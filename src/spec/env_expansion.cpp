// A deliberately small subset of shell parameter expansion: no nesting, no other operators.
#include "spec/env_expansion.hpp"

#include <cstdlib>

#include "core/json_pointer.hpp"
#include "spec/scalar_resolver.hpp"

namespace provision::spec {
namespace {

bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

// Whether expand_value can change anything under `value`: most values are plain text, and
// their pointers need not be built.
bool may_expand(const boost::json::value& value) {
  if (value.is_object() || value.is_array()) return true;
  if (!value.is_string()) return false;
  const auto& s = value.get_string();
  return std::string_view(s.data(), s.size()).find("${") != std::string_view::npos;
}

void expand_value(boost::json::value& value, const std::string& pointer, const SourceMap& map,
                  const EnvLookup& env, Diagnostics& diagnostics) {
  if (value.is_object()) {
    for (auto& kv : value.as_object())
      if (may_expand(kv.value()))
        expand_value(kv.value(), append_pointer(pointer, kv.key()), map, env, diagnostics);
  } else if (value.is_array()) {
    auto& array = value.as_array();
    for (std::size_t i = 0; i < array.size(); ++i)
      if (may_expand(array[i])) expand_value(array[i], append_pointer(pointer, i), map, env, diagnostics);
  } else if (value.is_string()) {
    const auto& s = value.as_string();
    if (std::string_view(s.data(), s.size()).find("${") == std::string_view::npos) return;
    ExpansionResult r = expand_string(std::string_view(s.data(), s.size()), env);
    if (!r.error_code.empty()) {
      Diagnostic d;
      d.code = r.error_code;
      d.location = map.value_location(pointer);
      d.pointer = pointer;
      d.message = r.error;
      diagnostics.push_back(std::move(d));
      return;
    }
    const SourceEntry* entry = map.find(pointer);
    if (entry && entry->plain)
      value = resolve_plain_scalar(r.text);
    else
      value = boost::json::string(r.text);
  }
}

}  // namespace

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
}

ExpansionResult expand_string(std::string_view text, const EnvLookup& env) {
  ExpansionResult r;
  for (std::size_t i = 0; i < text.size();) {
    if (text.substr(i, 3) == "$${") {
      r.text += "${";
      i += 3;
      continue;
    }
    if (text.substr(i, 2) != "${") {
      r.text += text[i++];
      continue;
    }
    const std::size_t close = text.find('}', i + 2);
    std::size_t n = i + 2;
    while (n < text.size() && is_name_char(text[n])) ++n;
    const std::string name(text.substr(i + 2, n - i - 2));
    const bool has_default = text.substr(n, 2) == ":-";
    if (close == std::string_view::npos || name.empty() || !is_name_start(name[0]) ||
        (n != close && !has_default)) {
      r.error_code = "spec.env_syntax";
      r.error =
          "malformed variable reference: expected ${NAME} or ${NAME:-default} (write $${ for a literal ${)";
      return r;
    }
    const std::optional<std::string> v = env(name);
    if (has_default && (!v || v->empty())) {
      r.text += text.substr(n + 2, close - n - 2);
    } else if (!v) {
      r.error_code = "spec.env_unset";
      r.error = "environment variable '" + name + "' is not set (use ${";
      r.error += name + ":-default} for a default)";
      return r;
    } else {
      r.text += *v;
    }
    i = close + 1;
  }
  return r;
}

void expand_document(boost::json::value& root, const SourceMap& map, const EnvLookup& env,
                     Diagnostics& diagnostics) {
  expand_value(root, "", map, env, diagnostics);
}

}  // namespace provision::spec
