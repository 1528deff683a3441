// The one exception type that stops a command; main() maps its kind to an exit code.
#pragma once

#include <stdexcept>
#include <string>

#include "core/exit_code.hpp"
#include "core/hint.hpp"

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

// A failure with a kind and a message that is safe to print (never holds secrets), and
// the hint the CLI adds in its own words (none by default).
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message, const Hint& hint = {})
      : std::runtime_error(message), kind_(kind), hint_(hint) {}
  ErrorKind kind() const { return kind_; }
  const Hint& hint() const { return hint_; }

 private:
  ErrorKind kind_;
  Hint hint_;
};

}  // namespace provision
