// String and file helpers every suite uses: substring checks, whole-file reads, and the
// message of the project Error an action throws.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace provision::test {

inline bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// The whole file, or "" when it cannot be read (a file that may not exist yet).
std::string read_file(const std::filesystem::path& path);

// The whole file; fails the test when it cannot be opened (a missing vector file).
std::string slurp(const std::filesystem::path& path);

// The message of the Error that `action` throws, after checking its kind; fails the test
// when nothing is thrown.
template <class Action>
std::string error_message(ErrorKind kind, Action&& action) {
  try {
    action();
  } catch (const Error& e) {
    CHECK(e.kind() == kind);
    return e.what();
  }
  FAIL("expected an Error");
  return {};
}

}  // namespace provision::test
