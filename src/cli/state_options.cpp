// --state and --lock-timeout.
#include "cli/state_options.hpp"

namespace provision::cli {

std::vector<OptionSpec> state_options() {
  return {
      {"--state", "FILE", std::string("state file (default ") + state::kDefaultStatePath + ")"},
      {"--lock-timeout", "DURATION", "wait this long for the state lock (default 0: fail at once)"},
  };
}

state::StateFile state_file_from(const ParsedArgs& args) {
  return state::StateFile(args.get("--state", state::kDefaultStatePath));
}

std::unique_ptr<state::StateLock> lock_state(const state::StateFile& file, const ParsedArgs& args,
                                             const std::string& command, const Clock& clock) {
  const double seconds = args.get_seconds("--lock-timeout", 0);
  const auto timeout = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
  return std::make_unique<state::StateLock>(file.lock_path(), command, clock, timeout);
}

}  // namespace provision::cli
