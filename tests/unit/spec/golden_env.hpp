// The fixed environment every golden spec case runs with (tests/data/spec/README.md).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "spec/env_expansion.hpp"

namespace provision::test {

inline const std::map<std::string, std::string>& golden_environment() {
  static const std::map<std::string, std::string> env = {{"SPEC_TEST_NAME", "from-env"},
                                                         {"SPEC_TEST_WORKERS", "3"},
                                                         {"SPEC_TEST_EMPTY", ""},
                                                         {"SPEC_TEST_SECRET", "s3cr3t-from-env"}};
  return env;
}

inline spec::EnvLookup golden_env_lookup() {
  return [](const std::string& name) -> std::optional<std::string> {
    auto it = golden_environment().find(name);
    if (it == golden_environment().end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace provision::test
