// Query string decoding for the server.
#include "emulator/request_target.hpp"

#include "core/percent_encoding.hpp"

namespace provision::emulator {
namespace {

std::string decoded(std::string_view s) {
  auto d = percent_decode(s);
  return d ? *d : std::string(s);
}

}  // namespace

void split_target(std::string_view target, std::string& path, api::NameValueList& query) {
  std::size_t mark = target.find('?');
  path = std::string(target.substr(0, mark));
  query.clear();
  if (mark == std::string_view::npos) return;
  std::string_view rest = target.substr(mark + 1);
  while (!rest.empty()) {
    std::size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos)
      query.emplace_back(decoded(pair), "");
    else
      query.emplace_back(decoded(pair.substr(0, eq)), decoded(pair.substr(eq + 1)));
  }
}

}  // namespace provision::emulator
