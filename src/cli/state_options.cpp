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

StateChoice choose_state(const StateOptions& options, const std::function<std::string(const char*)>& env) {
  StateChoice c{options.location.value_or(env("PROVISION_STATE")),
                options.name.value_or(env("PROVISION_STATE_NAME"))};
  if (c.location.empty()) c.location = state::kDefaultStatePath;
  if (c.name.empty()) c.name = state::kDefaultStateName;
  return c;
}

std::unique_ptr<state::StateStore> open_store(const StateOptions& options, Context& ctx) {
  const StateChoice c = choose_state(options, from_env);
  if (options.name && !state::is_postgres_uri(c.location))
    throw Error(ErrorKind::kUsage,
                "--state-name chooses a state in a PostgreSQL database; a local state is one file "
                "(choose it with --state FILE)");
  return open_store_at(c.location, state::is_postgres_uri(c.location) ? c.name : state::kDefaultStateName,
                       ctx);
}

std::unique_ptr<state::StoreLock> lock_store(state::StateStore& store, const StateOptions& options,
                                             const std::string& command, const Clock& clock) {
  return store.lock(command, clock, options.lock_timeout);
}

}  // namespace provision::cli
