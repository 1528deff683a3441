// Placeholder entry point for commands whose issue has not landed yet.
#pragma once

#include "cli/command.hpp"
#include "core/error.hpp"

namespace provision::cli {

inline int not_implemented(const std::string& what) {
  throw Error(ErrorKind::kInternal, what + " is not implemented yet");
}

}  // namespace provision::cli
