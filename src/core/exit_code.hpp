// The process exit codes of `provision`: one documented enum (doc/exit-codes.md).
#pragma once

namespace provision {

// Terraform-compatible where they overlap: 0 success, 1 error, 2 "changes present"
// (only with `plan --detailed-exitcode`). The others refine "error" for scripts.
enum class ExitCode : int {
  kOk = 0,
  kError = 1,         // internal or unclassified failure
  kChanges = 2,       // plan --detailed-exitcode: the plan has changes
  kUsage = 3,         // bad command line
  kInvalidSpec = 4,   // a spec file has errors (diagnostics printed)
  kCredentials = 5,   // no usable credentials or configuration
  kApiError = 6,      // the API rejected a request, or a cluster failed
  kNetwork = 7,       // unreachable, TLS failure or timeout after retries
  kState = 8,         // state file corrupt, of a newer version, or unwritable
  kLocked = 9,        // the state lock is held by another process
  kInterrupted = 130  // SIGINT / SIGTERM
};

inline int to_int(ExitCode code) { return static_cast<int>(code); }

}  // namespace provision
