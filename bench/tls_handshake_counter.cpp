// LD_PRELOAD shim for the benchmarks: counts completed TLS handshakes of any process that
// uses the system libssl (Asio drives SSL_connect / SSL_accept until they return 1), so
// keep-alive reuse can be measured on the unmodified `provision` binary. At exit it
// appends "handshakes=N pid=P" to the file named by PROVISION_BENCH_TLS_COUNT.
#include <dlfcn.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace {

std::atomic<unsigned long> completed{0};

using HandshakeFn = int (*)(void*);

HandshakeFn next_symbol(const char* name) { return reinterpret_cast<HandshakeFn>(dlsym(RTLD_NEXT, name)); }

int count_if_done(int result) {
  if (result == 1) completed.fetch_add(1, std::memory_order_relaxed);
  return result;
}

struct Reporter {
  Reporter() = default;
  Reporter(const Reporter&) = delete;
  Reporter& operator=(const Reporter&) = delete;
  ~Reporter() {
    const char* path = std::getenv("PROVISION_BENCH_TLS_COUNT");
    if (path == nullptr) return;
    if (std::FILE* f = std::fopen(path, "a")) {
      std::fprintf(f, "handshakes=%lu pid=%ld\n", completed.load(), static_cast<long>(getpid()));
      std::fclose(f);
    }
  }
};

Reporter reporter;

}  // namespace

// The real signatures take SSL*; void* is ABI-identical and keeps OpenSSL headers out.
extern "C" int SSL_connect(void* ssl) {
  static const HandshakeFn real = next_symbol("SSL_connect");
  return count_if_done(real(ssl));
}

extern "C" int SSL_accept(void* ssl) {
  static const HandshakeFn real = next_symbol("SSL_accept");
  return count_if_done(real(ssl));
}
