// valijson's messages are terse and name no values; these read the schema and the
// instance at the error's pointer to say what was expected and what was found.
#include "spec/schema_messages.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <string_view>

#include "core/json_pointer.hpp"
#include "core/spelling.hpp"
#include "core/utf8.hpp"
#include "spec/secret_fields.hpp"
#include "spec/source_text.hpp"

namespace provision::spec {
namespace {

const boost::json::object* subschema_at(const boost::json::object& schema, const std::string& pointer) {
  const boost::json::object* current = &schema;
  for (const auto& token : split_pointer(pointer)) {
    const boost::json::object* next = nullptr;
    if (auto* props = current->if_contains("properties"); props && props->is_object())
      if (auto* p = props->as_object().if_contains(token); p && p->is_object()) next = &p->as_object();
    if (!next)
      if (auto* items = current->if_contains("items"); items && items->is_object())
        next = &items->as_object();
    if (!next) return nullptr;
    current = next;
  }
  return current;
}

const boost::json::value* instance_at(const boost::json::value& root, const std::string& pointer) {
  const boost::json::value* current = &root;
  for (const auto& token : split_pointer(pointer)) {
    if (current->is_object()) {
      current = current->as_object().if_contains(token);
    } else if (current->is_array()) {
      std::size_t index = 0;
      auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
      if (ec != std::errc() || end != token.data() + token.size() || index >= current->as_array().size())
        return nullptr;
      current = &current->as_array()[index];
    } else {
      return nullptr;
    }
    if (!current) return nullptr;
  }
  return current;
}

std::string type_name(std::string_view json_type) {
  if (json_type == "object") return "mapping";
  if (json_type == "array") return "list";
  return std::string(json_type);
}

std::string expected_types(const boost::json::object& schema) {
  const boost::json::value* type = schema.if_contains("type");
  if (!type) return "another type";
  if (type->is_string()) return type_name(type->as_string());
  std::string out;
  const auto& types = type->as_array();
  for (std::size_t i = 0; i < types.size(); ++i) {
    if (i > 0) out += i + 1 == types.size() ? " or " : ", ";
    out += type_name(types[i].as_string());
  }
  return out;
}

std::string number_text(const boost::json::value& v) {
  if (v.is_double()) {
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v.as_double());
    return ec == std::errc() ? std::string(buffer, end) : "a number";
  }
  return boost::json::serialize(v);
}

// Bytes of the character or JSON escape (\" or \u0001) that starts at text[i].
std::size_t step_at(std::string_view text, std::size_t i) {
  if (text[i] == '\\') return i + 1 < text.size() && text[i + 1] == 'u' ? 6 : 2;
  return std::max<std::size_t>(utf8_sequence_length(text, i), 1);
}

// A value as a JSON string of at most ~60 bytes. Long ones are cut after a whole character
// and a whole escape, so messages stay valid UTF-8 (they are printed inside JSON output).
std::string quoted(std::string_view s) {
  constexpr std::size_t kMaxBytes = 62;
  constexpr std::size_t kKeptBytes = 58;
  std::string text = boost::json::serialize(boost::json::value(boost::json::string(s)));
  if (text.size() <= kMaxBytes) return text;
  std::size_t cut = 1;  // after the opening quote
  while (cut < text.size() && cut + step_at(text, cut) <= kKeptBytes) cut += step_at(text, cut);
  return text.substr(0, cut) + "...\"";
}

std::string schema_string(const boost::json::object& schema, const char* key) {
  const boost::json::value* v = schema.if_contains(key);
  if (!v) return "?";
  return v->is_string() ? std::string(v->as_string()) : number_text(*v);
}

std::string enum_list(const boost::json::object& schema, std::vector<std::string>& names) {
  std::string out;
  if (const boost::json::value* e = schema.if_contains("enum"); e && e->is_array())
    for (const auto& item : e->as_array())
      if (item.is_string()) {
        names.emplace_back(item.as_string());
        out += (out.empty() ? "" : ", ") + names.back();
      }
  return out;
}

// cpu's pattern in schemas/raycluster.schema.json: 1 to 2147483647 written out, because
// "maximum" does not apply to strings.
constexpr std::string_view kCpuPattern =
    "^(?:[1-9][0-9]{0,8}|1[0-9]{9}|20[0-9]{8}|21[0-3][0-9]{7}|214[0-6][0-9]{6}|2147[0-3][0-9]{5}|"
    "21474[0-7][0-9]{4}|214748[0-2][0-9]{3}|2147483[0-5][0-9]{2}|21474836[0-3][0-9]|214748364[0-7])$";

// A whole number without a leading zero (so only too large, when cpu's pattern refused it).
bool is_whole_number_text(const boost::json::value* v) {
  if (!v || !v->is_string() || v->as_string().empty() || v->as_string()[0] == '0') return false;
  return std::all_of(v->as_string().begin(), v->as_string().end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

// Human words for a pattern; the regex itself is the last resort.
std::string pattern_words(const std::string& pattern, const boost::json::value* found) {
  if (pattern.find("Gi$") != std::string::npos) return "a whole number of GiB like 8Gi";
  if (pattern == kCpuPattern)
    return is_whole_number_text(found) ? "<= 2147483647" : "a positive whole number like 2";
  return "text matching /" + pattern + "/";
}

Diagnostic make(std::string code, const std::string& pointer, SourceLocation at, std::string message,
                std::string hint = "") {
  Diagnostic d;
  d.code = std::move(code);
  d.location = std::move(at);
  d.pointer = pointer;
  d.message = std::move(message);
  d.hint = std::move(hint);
  return d;
}

std::string string_length(const boost::json::value& v) {
  if (!v.is_string()) return "?";
  std::size_t n = 0;
  for (char c : v.as_string())
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return std::to_string(n);
}

Diagnostic rewrite(const boost::json::object& schema, const boost::json::value& instance,
                   const SchemaError& e, const SourceMap& map) {
  static const boost::json::object kEmpty;
  const boost::json::object* sub = subschema_at(schema, e.pointer);
  const boost::json::object& s = sub ? *sub : kEmpty;
  const boost::json::value* found = instance_at(instance, e.pointer);
  const bool secret = is_secret_document_pointer(e.pointer);
  const std::string got = found ? describe_value(*found, secret) : "nothing";
  const std::string got_plain =
      found && !secret && !found->is_object() && !found->is_array() && !found->is_string()
          ? number_text(*found)
          : (found && found->is_string() && !secret ? quoted(found->as_string()) : got);
  const SourceLocation at = map.value_location(e.pointer);
  const std::string& d = e.description;
  auto starts = [&](const char* prefix) { return d.rfind(prefix, 0) == 0; };

  if (starts("Value type not permitted"))
    return make("spec.schema.type", e.pointer, at, "expected " + expected_types(s) + ", got " + got);
  if (starts("Expected number greater than"))
    return make("spec.schema.minimum", e.pointer, at,
                "must be >= " + schema_string(s, "minimum") + ", got " + got_plain);
  if (starts("Expected number less than"))
    return make("spec.schema.maximum", e.pointer, at,
                "must be <= " + schema_string(s, "maximum") + ", got " + got_plain);
  if (starts("String should be no fewer than")) {
    if (schema_string(s, "minLength") == "1")
      return make("spec.schema.min_length", e.pointer, at, "must not be empty");
    return make("spec.schema.min_length", e.pointer, at,
                "must be at least " + schema_string(s, "minLength") + " characters, got " +
                    (found ? string_length(*found) : "?"));
  }
  if (starts("String should be no more than"))
    return make("spec.schema.max_length", e.pointer, at,
                "must be at most " + schema_string(s, "maxLength") + " characters, got " +
                    (found ? string_length(*found) : "?"));
  if (starts("Array should contain no more than")) {
    const std::string n = found && found->is_array() ? std::to_string(found->as_array().size()) : "?";
    return make("spec.schema.max_items", e.pointer, at,
                "must have at most " + schema_string(s, "maxItems") + " items, got " + n);
  }
  if (starts("Failed to match regex"))
    return make("spec.schema.pattern", e.pointer, at,
                "must be " + pattern_words(schema_string(s, "pattern"), found) + ", got " + got_plain);
  if (starts("Failed to match against any enum values")) {
    std::vector<std::string> names;
    const std::string list = enum_list(s, names);
    std::string hint;
    if (found && found->is_string() && !secret) {
      const std::string suggestion = closest_match(std::string(found->as_string()), names);
      if (!suggestion.empty()) hint = "did you mean '" + suggestion + "'?";
    }
    return make("spec.schema.enum", e.pointer, at, "must be one of " + list + "; got " + got_plain, hint);
  }
  if (starts("Failed to match expected value set by 'const'"))
    return make("spec.schema.const", e.pointer, at,
                "must be " + quoted(schema_string(s, "const")) + ", got " + got_plain);
  if (starts("Missing required property '")) {
    const std::string name = d.substr(27, d.rfind('\'') - 27);
    return make("spec.schema.required", e.pointer, map.key_location(e.pointer),
                "missing required key '" + name + "'");
  }
  return make("spec.schema", e.pointer, at, d);
}

void find_unknown_keys(const boost::json::object& schema, const boost::json::value& value,
                       const std::string& pointer, const SourceMap& map, Diagnostics& out) {
  if (value.is_array()) {
    if (auto* items = schema.if_contains("items"); items && items->is_object())
      for (std::size_t i = 0; i < value.as_array().size(); ++i)
        find_unknown_keys(items->as_object(), value.as_array()[i], append_pointer(pointer, i), map, out);
    return;
  }
  if (!value.is_object()) return;
  const boost::json::value* props = schema.if_contains("properties");
  const boost::json::value* additional = schema.if_contains("additionalProperties");
  if (!props || !props->is_object()) return;
  const bool closed = additional && additional->is_bool() && !additional->as_bool();
  std::vector<std::string> names;
  for (const auto& kv : props->as_object()) names.emplace_back(kv.key());
  for (const auto& kv : value.as_object()) {
    const std::string child = append_pointer(pointer, kv.key());
    if (const boost::json::value* sub = props->as_object().if_contains(kv.key())) {
      if (sub->is_object()) find_unknown_keys(sub->as_object(), kv.value(), child, map, out);
      continue;
    }
    if (!closed) continue;
    const std::string key(kv.key());
    const std::string suggestion = closest_match(key, names);
    std::string hint;
    if (!suggestion.empty()) {
      hint = "did you mean '" + suggestion + "'?";
    } else {
      hint = "expected one of: ";
      for (std::size_t i = 0; i < names.size(); ++i) hint += (i ? ", " : "") + names[i];
    }
    out.push_back(
        make("spec.schema.unknown_key", child, map.key_location(child), "unknown key '" + key + "'", hint));
  }
}

}  // namespace

std::string describe_value(const boost::json::value& value, bool secret) {
  switch (value.kind()) {
    case boost::json::kind::null:
      return "null (an empty value)";
    case boost::json::kind::bool_:
      return secret ? "a boolean" : std::string("boolean ") + (value.as_bool() ? "true" : "false");
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
      return secret ? "an integer" : "integer " + number_text(value);
    case boost::json::kind::double_:
      return secret ? "a number" : "number " + number_text(value);
    case boost::json::kind::string:
      return secret ? "a string" : "string " + quoted(value.as_string());
    case boost::json::kind::array:
      return "a list";
    case boost::json::kind::object:
      return "a mapping";
  }
  return "a value";
}

Diagnostics schema_diagnostics(const boost::json::object& schema, const boost::json::value& instance,
                               const std::vector<SchemaError>& errors, const SourceMap& map) {
  Diagnostics out;
  for (const auto& e : errors) {
    if (e.description.rfind("Object contains a property that could not be validated", 0) == 0) continue;
    out.push_back(rewrite(schema, instance, e, map));
  }
  // valijson reports every key a closed schema does not allow (filtered above, to be
  // rewritten here with a suggestion), so a document without errors has none to find.
  if (!errors.empty()) find_unknown_keys(schema, instance, "", map, out);
  return out;
}

}  // namespace provision::spec
