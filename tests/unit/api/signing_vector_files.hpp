// Reading the signing test vectors (tests/data/signing/...): one folder per case, holding a
// request.json whose name/value lists are arrays of [name, value] pairs.
#pragma once

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "api/signing/http_request_parts.hpp"

namespace provision::test {

// o[key] as a list of [name, value] pairs, in order.
inline api::NameValueList vector_pairs(const boost::json::object& o, std::string_view key) {
  api::NameValueList out;
  for (const auto& item : o.at(key).as_array()) {
    const auto& pair = item.as_array();
    out.emplace_back(std::string(pair.at(0).as_string()), std::string(pair.at(1).as_string()));
  }
  return out;
}

// The case folders under `dir` that hold a request.json, sorted by name.
inline std::vector<std::string> vector_case_names(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (std::filesystem::is_regular_file(entry.path() / "request.json"))
      out.push_back(entry.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace provision::test
