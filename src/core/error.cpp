// ErrorKind -> ExitCode mapping, kept next to the enum it reads.
#include "core/error.hpp"

namespace provision {

ExitCode exit_code_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUsage:
      return ExitCode::kUsage;
    case ErrorKind::kInvalidSpec:
      return ExitCode::kInvalidSpec;
    case ErrorKind::kCredentials:
      return ExitCode::kCredentials;
    case ErrorKind::kApi:
      return ExitCode::kApiError;
    case ErrorKind::kNetwork:
      return ExitCode::kNetwork;
    case ErrorKind::kState:
      return ExitCode::kState;
    case ErrorKind::kLocked:
      return ExitCode::kLocked;
    case ErrorKind::kInterrupted:
      return ExitCode::kInterrupted;
    case ErrorKind::kInternal:
      break;
  }
  return ExitCode::kError;
}

}  // namespace provision
