// The YAML 1.2 core schema's tag resolution, written out rule by rule.
#include "spec/scalar_resolver.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace provision::spec {
namespace {

bool is_one_of(std::string_view text, std::initializer_list<std::string_view> words) {
  for (auto w : words)
    if (text == w) return true;
  return false;
}

// Parses digits in `base`; falls back to a double when the value does not fit 64 bits.
boost::json::value integer_value(std::string_view digits, int base, bool negative) {
  std::uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
  if (ec == std::errc() && end == digits.data() + digits.size()) {
    if (!negative && magnitude <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return static_cast<std::int64_t>(magnitude);
    if (negative && magnitude <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1)
      return magnitude == 0 ? std::int64_t{0} : static_cast<std::int64_t>(0 - magnitude);
    if (!negative) return magnitude;
  }
  double d = std::strtod(std::string(digits).c_str(), nullptr);
  if (base != 10) d = std::numeric_limits<double>::infinity();
  return negative ? -d : d;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_octal(char c) { return c >= '0' && c <= '7'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

template <typename Predicate>
bool all_of(std::string_view text, Predicate p) {
  if (text.empty()) return false;
  for (char c : text)
    if (!p(c)) return false;
  return true;
}

// [0-9]+(\.[0-9]*)? | \.[0-9]+, then an optional exponent [eE][-+]?[0-9]+ (sign already removed).
bool is_float(std::string_view t) {
  std::size_t i = 0, int_digits = 0, frac_digits = 0;
  while (i < t.size() && is_digit(t[i])) ++i, ++int_digits;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && is_digit(t[i])) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
    if (i >= t.size() || !is_digit(t[i])) return false;
    while (i < t.size() && is_digit(t[i])) ++i;
  }
  return i == t.size();
}

}  // namespace

boost::json::value resolve_plain_scalar(std::string_view text) {
  if (is_one_of(text, {"", "~", "null", "Null", "NULL"})) return nullptr;
  if (is_one_of(text, {"true", "True", "TRUE"})) return true;
  if (is_one_of(text, {"false", "False", "FALSE"})) return false;

  const bool sign = text[0] == '-' || text[0] == '+';
  const std::string_view unsigned_text = sign ? text.substr(1) : text;
  if (all_of(unsigned_text, is_digit)) return integer_value(unsigned_text, 10, text[0] == '-');
  if (text.size() > 2 && text.substr(0, 2) == "0o" && all_of(text.substr(2), is_octal))
    return integer_value(text.substr(2), 8, false);
  if (text.size() > 2 && text.substr(0, 2) == "0x" && all_of(text.substr(2), is_hex))
    return integer_value(text.substr(2), 16, false);
  if (is_float(unsigned_text)) return std::strtod(std::string(text).c_str(), nullptr);
  if (is_one_of(unsigned_text, {".inf", ".Inf", ".INF"}))
    return text[0] == '-' ? -std::numeric_limits<double>::infinity()
                          : std::numeric_limits<double>::infinity();
  if (is_one_of(text, {".nan", ".NaN", ".NAN"})) return std::numeric_limits<double>::quiet_NaN();
  return boost::json::string(text);
}

}  // namespace provision::spec
