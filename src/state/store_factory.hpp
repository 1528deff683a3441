// Chooses the store for a --state value: a PostgreSQL URI, or a local file.
#pragma once

#include <memory>
#include <string>

#include "state/state_store.hpp"

namespace provision::state {

// The default state name within a store that holds many.
inline constexpr const char* kDefaultStateName = "default";

// "postgresql://…" or "postgres://…": that database, state `name`; anything else: the
// local file at `location` (`name` must then be the default).
std::unique_ptr<StateStore> open_state_store(const std::string& location, const std::string& name,
                                             StoreWarning warn = {});

}  // namespace provision::state
