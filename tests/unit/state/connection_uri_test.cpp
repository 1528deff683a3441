// PostgreSQL URIs are recognised by scheme and never shown with a password.
#include "state/connection_uri.hpp"

#include <doctest/doctest.h>

using provision::state::is_postgres_uri;
using provision::state::redact_uri;

TEST_CASE("postgres URIs are told from file paths") {
  CHECK(is_postgres_uri("postgresql://db/infra"));
  CHECK(is_postgres_uri("postgres://db/infra"));
  CHECK(is_postgres_uri("PostgreSQL://db"));
  CHECK(!is_postgres_uri(".provision/state.json"));
  CHECK(!is_postgres_uri("postgresql.json"));
  CHECK(!is_postgres_uri("/var/postgres://x"));
}

TEST_CASE("redacted URIs keep everything but the password") {
  const std::pair<const char*, const char*> table[] = {
      {"postgresql://ci:s3cret@db.internal:5432/infra", "postgresql://ci@db.internal:5432/infra"},
      {"postgres://ci:s3cret@db/infra?sslmode=verify-full&sslrootcert=/ca.pem",
       "postgres://ci@db/infra?sslmode=verify-full&sslrootcert=/ca.pem"},
      {"postgresql://db/infra?user=ci&password=s3cret&sslmode=require",
       "postgresql://db/infra?user=ci&sslmode=require"},
      {"postgresql://db/infra?password=s3cret", "postgresql://db/infra"},
      {"postgresql://db/infra?sslpassword=k3y&application_name=x",
       "postgresql://db/infra?application_name=x"},
      {"postgresql://ci@db/infra", "postgresql://ci@db/infra"},
      {"postgresql://ci:p%40ss@db", "postgresql://ci@db"},
      {"postgresql://ci:a@b@db/x", "postgresql://ci@db/x"},
      {"postgresql:///infra?host=/var/run/postgresql", "postgresql:///infra?host=/var/run/postgresql"},
      {"postgresql://", "postgresql://"},
  };
  for (const auto& [given, shown] : table) {
    CAPTURE(given);
    CHECK(redact_uri(given) == shown);
  }
}
