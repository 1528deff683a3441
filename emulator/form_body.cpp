// Form bodies: split on '&' and '=', then percent-decode.
#include "emulator/form_body.hpp"

#include "core/percent_encoding.hpp"

namespace provision::emulator {
namespace {

std::string decode(std::string_view raw) {
  std::string text(raw);
  for (char& c : text)
    if (c == '+') c = ' ';
  auto decoded = percent_decode(text);
  return decoded ? *decoded : text;
}

}  // namespace

api::NameValueList parse_form_body(std::string_view body) {
  api::NameValueList out;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view piece = body.substr(start, end - start);
    start = end + 1;
    if (piece.empty()) continue;
    const auto eq = piece.find('=');
    if (eq == std::string_view::npos) {
      out.emplace_back(decode(piece), "");
    } else {
      out.emplace_back(decode(piece.substr(0, eq)), decode(piece.substr(eq + 1)));
    }
  }
  return out;
}

}  // namespace provision::emulator
