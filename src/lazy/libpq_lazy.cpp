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

struct Libpq {
  void* handle = nullptr;
  std::string error;  // why it could not be opened
  decltype(&PQconnectdbParams) connectdb_params = nullptr;
  decltype(&PQstatus) status = nullptr;
  decltype(&PQerrorMessage) error_message = nullptr;
  decltype(&PQfinish) finish = nullptr;
  decltype(&PQexecParams) exec_params = nullptr;
  decltype(&PQresultStatus) result_status = nullptr;
  decltype(&PQresultErrorMessage) result_error_message = nullptr;
  decltype(&PQntuples) ntuples = nullptr;
  decltype(&PQnfields) nfields = nullptr;
  decltype(&PQgetvalue) getvalue = nullptr;
  decltype(&PQgetlength) getlength = nullptr;
  decltype(&PQgetisnull) getisnull = nullptr;
  decltype(&PQclear) clear = nullptr;
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
    bind(lib, lib.connectdb_params, "PQconnectdbParams");
    bind(lib, lib.status, "PQstatus");
    bind(lib, lib.error_message, "PQerrorMessage");
    bind(lib, lib.finish, "PQfinish");
    bind(lib, lib.exec_params, "PQexecParams");
    bind(lib, lib.result_status, "PQresultStatus");
    bind(lib, lib.result_error_message, "PQresultErrorMessage");
    bind(lib, lib.ntuples, "PQntuples");
    bind(lib, lib.nfields, "PQnfields");
    bind(lib, lib.getvalue, "PQgetvalue");
    bind(lib, lib.getlength, "PQgetlength");
    bind(lib, lib.getisnull, "PQgetisnull");
    bind(lib, lib.clear, "PQclear");
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
  return lib.connectdb_params(keywords, values, expand_dbname);
}

ConnStatusType PQstatus(const PGconn* conn) {
  const Libpq& lib = libpq();
  return usable(lib) ? lib.status(conn) : CONNECTION_BAD;
}

char* PQerrorMessage(const PGconn* conn) {
  const Libpq& lib = libpq();
  return usable(lib) ? lib.error_message(conn) : const_cast<char*>(lib.error.c_str());
}

void PQfinish(PGconn* conn) {
  const Libpq& lib = libpq();
  if (usable(lib)) lib.finish(conn);
}

PGresult* PQexecParams(PGconn* conn, const char* command, int n, const Oid* types, const char* const* values,
                       const int* lengths, const int* formats, int result_format) {
  return libpq().exec_params(conn, command, n, types, values, lengths, formats, result_format);
}

ExecStatusType PQresultStatus(const PGresult* res) { return libpq().result_status(res); }
char* PQresultErrorMessage(const PGresult* res) { return libpq().result_error_message(res); }
int PQntuples(const PGresult* res) { return libpq().ntuples(res); }
int PQnfields(const PGresult* res) { return libpq().nfields(res); }
char* PQgetvalue(const PGresult* res, int row, int field) { return libpq().getvalue(res, row, field); }
int PQgetlength(const PGresult* res, int row, int field) { return libpq().getlength(res, row, field); }
int PQgetisnull(const PGresult* res, int row, int field) { return libpq().getisnull(res, row, field); }

void PQclear(PGresult* res) {
  const Libpq& lib = libpq();
  if (usable(lib)) lib.clear(res);
}
