// The one exception type that stops a command; main() maps its kind to an exit code.
#pragma once

#include <stdexcept>
#include <string>

#include "core/exit_code.hpp"

namespace provision {

enum class ErrorKind {
  kInternal,
  kUsage,
  kInvalidSpec,
  kCredentials,
  kApi,
  kNetwork,
  kState,
  kLocked,
  kInterrupted,
};

ExitCode exit_code_for(ErrorKind kind);

// A failure with a kind and a message that is safe to print (never holds secrets).
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

}  // namespace provision
