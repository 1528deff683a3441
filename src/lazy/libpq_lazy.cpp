// libpq, opened on first use instead of at start-up. Linking libpq.so.5 directly loads it
// and its dependencies (Kerberos, LDAP, SASL, GnuTLS, ...: 20 libraries) in every process,
// which was over half of the instructions of `provision --version` (bench/README.md,
// "Cold start"), although only a PostgreSQL state uses it. These are the functions
// src/state/pg_connection.cpp calls, with libpq's own signatures, each forwarding to
// the real one.
#include <dlfcn.h>
#include <libpq-fe.h>

#include <mutex>
#include <string>

#include "core/error.hpp"

namespace {

// Every function forwarded, named once (X-macro): the slots and the lookups follow it.
#define PROVISION_LIBPQ_FUNCTIONS(X) \
  X(PQconnectdbParams)               \
  X(PQstatus)                        \
  X(PQerrorMessage)                  \
  X(PQfinish)                        \
  X(PQexecParams)                    \
  X(PQresultStatus)                  \
  X(PQresultErrorMessage)            \
  X(PQntuples)                       \
  X(PQnfields)                       \
  X(PQgetvalue)                      \
  X(PQgetlength)                     \
  X(PQgetisnull)                     \
  X(PQclear)

struct Libpq {
  void* handle = nullptr;
  std::string error;  // why it could not be opened
#define PROVISION_LIBPQ_SLOT(name) decltype(&::name) name = nullptr;
  PROVISION_LIBPQ_FUNCTIONS(PROVISION_LIBPQ_SLOT)
#undef PROVISION_LIBPQ_SLOT
};

template <typename F>
void bind(Libpq& lib, F& slot, const char* name) {
  slot = reinterpret_cast<F>(dlsym(lib.handle, name));
  if (!slot && lib.error.empty()) lib.error = std::string("libpq.so.5 has no ") + name;
}

const Libpq& libpq() {
  static Libpq lib;
  static std::once_flag once;
  std::call_once(once, [] {
    lib.handle = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (!lib.handle) {
      const char* why = dlerror();
      lib.error = std::string("could not load libpq.so.5 (Debian package libpq5)") + (why ? ": " : "") +
                  (why ? why : "");
      return;
    }
#define PROVISION_LIBPQ_BIND(name) bind(lib, lib.name, #name);
    PROVISION_LIBPQ_FUNCTIONS(PROVISION_LIBPQ_BIND)
#undef PROVISION_LIBPQ_BIND
  });
  return lib;
}

bool usable(const Libpq& lib) { return lib.error.empty(); }

}  // namespace

// Without libpq there is no connection: said here, where the reason is known (a null
// PGconn would read as "out of memory").
PGconn* PQconnectdbParams(const char* const* keywords, const char* const* values, int expand_dbname) {
  const Libpq& lib = libpq();
  if (!usable(lib))
    throw provision::Error(provision::ErrorKind::kState, "cannot use a PostgreSQL state: " + lib.error);
  return lib.PQconnectdbParams(keywords, values, expand_dbname);
}

ConnStatusType PQstatus(const PGconn* conn) {
  const Libpq& lib = libpq();
  return usable(lib) ? lib.PQstatus(conn) : CONNECTION_BAD;
}

char* PQerrorMessage(const PGconn* conn) {
  const Libpq& lib = libpq();
  return usable(lib) ? lib.PQerrorMessage(conn) : const_cast<char*>(lib.error.c_str());
}

void PQfinish(PGconn* conn) {
  const Libpq& lib = libpq();
  if (usable(lib)) lib.PQfinish(conn);
}

PGresult* PQexecParams(PGconn* conn, const char* command, int n, const Oid* types, const char* const* values,
                       const int* lengths, const int* formats, int result_format) {
  return libpq().PQexecParams(conn, command, n, types, values, lengths, formats, result_format);
}

ExecStatusType PQresultStatus(const PGresult* res) { return libpq().PQresultStatus(res); }
char* PQresultErrorMessage(const PGresult* res) { return libpq().PQresultErrorMessage(res); }
int PQntuples(const PGresult* res) { return libpq().PQntuples(res); }
int PQnfields(const PGresult* res) { return libpq().PQnfields(res); }
char* PQgetvalue(const PGresult* res, int row, int field) { return libpq().PQgetvalue(res, row, field); }
int PQgetlength(const PGresult* res, int row, int field) { return libpq().PQgetlength(res, row, field); }
int PQgetisnull(const PGresult* res, int row, int field) { return libpq().PQgetisnull(res, row, field); }

void PQclear(PGresult* res) {
  const Libpq& lib = libpq();
  if (usable(lib)) lib.PQclear(res);
}
