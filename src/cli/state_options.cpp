// --state, --state-name and --lock-timeout, with their environment defaults.
#include "cli/state_options.hpp"

#include <cstdlib>
#include <ostream>

#include "core/error.hpp"
#include "state/connection_uri.hpp"
#include "state/local_store.hpp"
#include "state/store_factory.hpp"

namespace provision::cli {
namespace {

std::string from_env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

std::vector<OptionSpec> state_options() {
  return {
      {"--state", "LOCATION",
       std::string("state file, or postgresql://… URI (default $PROVISION_STATE, else ") +
           state::kDefaultStatePath + ")"},
      {"--state-name", "NAME",
       "which state in a PostgreSQL database (default $PROVISION_STATE_NAME, else default)"},
      {"--lock-timeout", "DURATION", "wait this long for the state lock (default 0: fail at once)"},
  };
}

std::unique_ptr<state::StateStore> open_store_at(const std::string& location, const std::string& name,
                                                 Context& ctx) {
  if (name.empty()) throw Error(ErrorKind::kUsage, "--state-name must not be empty");
  std::ostream* err = &ctx.err;
  return state::open_state_store(location, name, [err](const std::string& warning) {
    *err << "provision: warning: " << warning << "\n";
  });
}

std::unique_ptr<state::StateStore> open_store(const ParsedArgs& args, Context& ctx) {
  std::string location = args.get("--state", from_env("PROVISION_STATE"));
  if (location.empty()) location = state::kDefaultStatePath;
  std::string name = args.get("--state-name", from_env("PROVISION_STATE_NAME"));
  if (name.empty()) name = state::kDefaultStateName;
  if (args.has("--state-name") && !state::is_postgres_uri(location))
    throw Error(ErrorKind::kUsage,
                "--state-name chooses a state in a PostgreSQL database; a local state is one file "
                "(choose it with --state FILE)");
  return open_store_at(location, state::is_postgres_uri(location) ? name : state::kDefaultStateName, ctx);
}

std::unique_ptr<state::StoreLock> lock_store(state::StateStore& store, const ParsedArgs& args,
                                             const std::string& command, const Clock& clock) {
  const double seconds = args.get_seconds("--lock-timeout", 0);
  const auto timeout = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
  return store.lock(command, clock, timeout);
}

}  // namespace provision::cli
