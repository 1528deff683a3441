// The only place that knows which stores exist.
#include "state/store_factory.hpp"

#include "state/connection_uri.hpp"
#include "state/local_store.hpp"
#include "state/postgres_store.hpp"

namespace provision::state {

std::unique_ptr<StateStore> open_state_store(const std::string& location, const std::string& name,
                                             StoreWarning warn) {
  if (is_postgres_uri(location)) return std::make_unique<PostgresStore>(location, name);
  return std::make_unique<LocalStore>(location, std::move(warn));
}

}  // namespace provision::state
