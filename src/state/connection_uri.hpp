// PostgreSQL connection URIs as the user gives them to --state: recognising one, and
// showing one without its password.
#pragma once

#include <string>
#include <string_view>

namespace provision::state {

// True for "postgresql://…" and "postgres://…" (libpq's two URI schemes).
bool is_postgres_uri(std::string_view location);

// The URI with any password removed: the one in the user-info part
// ("postgresql://ci:secret@db/infra" -> "postgresql://ci@db/infra") and any
// password= or sslpassword= query parameter. Everything else is kept as given.
std::string redact_uri(std::string_view uri);

}  // namespace provision::state
