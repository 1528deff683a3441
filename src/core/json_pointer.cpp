// RFC 6901 escaping rules.
#include "core/json_pointer.hpp"

namespace provision {

std::string escape_pointer_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string append_pointer(std::string_view pointer, std::string_view token) {
  std::string out(pointer);
  out += '/';
  out += escape_pointer_token(token);
  return out;
}

std::string append_pointer(std::string_view pointer, std::size_t index) {
  return append_pointer(pointer, std::to_string(index));
}

std::vector<std::string> split_pointer(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  std::size_t pos = 1;  // skip the leading '/'
  std::string current;
  for (; pos <= pointer.size(); ++pos) {
    if (pos == pointer.size() || pointer[pos] == '/') {
      tokens.push_back(current);
      current.clear();
      continue;
    }
    if (pointer[pos] == '~' && pos + 1 < pointer.size()) {
      current += pointer[pos + 1] == '1' ? '/' : '~';
      ++pos;
    } else {
      current += pointer[pos];
    }
  }
  return tokens;
}

}  // namespace provision
