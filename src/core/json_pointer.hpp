// RFC 6901 JSON pointers: build them token by token, split them back.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace provision {

// Escapes one reference token ("~" -> "~0", "/" -> "~1").
std::string escape_pointer_token(std::string_view token);
// pointer + "/" + escaped token.
std::string append_pointer(std::string_view pointer, std::string_view token);
std::string append_pointer(std::string_view pointer, std::size_t index);
// Splits "/a/b~1c" into {"a", "b/c"}; "" gives {}.
std::vector<std::string> split_pointer(std::string_view pointer);

}  // namespace provision
