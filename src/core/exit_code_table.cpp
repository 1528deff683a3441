// The exit-code rows; doc/exit-codes.md repeats name and meaning word for word.
#include "core/exit_code_table.hpp"

#include <array>

namespace provision {
namespace {

constexpr std::array<ExitCodeRow, 11> kRows{{
    {ExitCode::kOk, "ok", "success (plan --detailed-exitcode: no changes)",
     "success; with `plan --detailed-exitcode`: no changes"},
    {ExitCode::kError, "error", "error (plan --detailed-exitcode: any error)",
     "error not covered below (internal); with `plan --detailed-exitcode`: any error"},
    {ExitCode::kChanges, "changes", "plan --detailed-exitcode: changes present",
     "`plan --detailed-exitcode` only: the plan has changes"},
    {ExitCode::kUsage, "usage", "usage error", "usage error: unknown command or option, bad option value"},
    {ExitCode::kInvalidSpec, "invalid-spec", "invalid spec", "invalid spec: diagnostics were printed"},
    {ExitCode::kCredentials, "credentials", "no usable credentials or configuration",
     "no usable credentials or configuration, including role credentials STS refused or could not issue "
     "(refused OIDC token, missing token file, unreachable STS)"},
    {ExitCode::kApiError, "api", "the API rejected a request or a cluster failed",
     "the API rejected a request (e.g. `InvalidSecurityToken.Expired` for fixed STS keys past their "
     "expiration), or a cluster ended in `Error`"},
    {ExitCode::kNetwork, "network", "network, TLS or timeout failure",
     "network, TLS or timeout failure after retries"},
    {ExitCode::kState, "state", "state file error",
     "state file corrupt, of a newer format version, or not writable"},
    {ExitCode::kLocked, "locked", "state locked by another process",
     "the state lock is held by another process"},
    {ExitCode::kInterrupted, "interrupted", "interrupted", "interrupted (SIGINT/SIGTERM)"},
}};

}  // namespace

std::span<const ExitCodeRow> exit_code_table() { return kRows; }

std::string exit_code_help() {
  std::string text = "Exit codes:\n";
  for (const auto& row : kRows) {
    std::string code = std::to_string(to_int(row.code));
    code.resize(5, ' ');
    text += "  " + code + std::string(row.summary) + "\n";
  }
  return text;
}

}  // namespace provision
