// OpenSSL EVP behind RAII handles: every failure becomes an internal Error, never a crash.
#include "api/signing/digest.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>
#include <memory>

#include "core/error.hpp"

namespace provision::api {
namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
struct MacFree {
  void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }
};
struct MacCtxFree {
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};

using Sha256Bytes = std::array<unsigned char, 32>;

[[noreturn]] void openssl_failed(const char* step) {
  throw Error(ErrorKind::kInternal, std::string("OpenSSL ") + step + " failed");
}

// OpenSSL treats a null key as "keep the previous key", so an empty view still gets a valid pointer.
const unsigned char* bytes_of(std::string_view s) {
  static const unsigned char kEmpty = 0;
  return s.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(s.data());
}

std::string to_hex(const Sha256Bytes& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 0xF];
  }
  return out;
}

// Fetched once: an implicit fetch on every init costs about as much as hashing a request
// body. Never freed: one object for the life of the process.
const EVP_MD* sha256_md() {
  static EVP_MD* const kMd = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (!kMd) openssl_failed("EVP_MD_fetch(SHA256)");
  return kMd;
}

Sha256Bytes sha256(std::string_view data) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx{EVP_MD_CTX_new()};
  if (!ctx) openssl_failed("EVP_MD_CTX_new");
  if (EVP_DigestInit_ex(ctx.get(), sha256_md(), nullptr) != 1) openssl_failed("EVP_DigestInit_ex");
  if (EVP_DigestUpdate(ctx.get(), bytes_of(data), data.size()) != 1) openssl_failed("EVP_DigestUpdate");
  Sha256Bytes out{};
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx.get(), out.data(), &len) != 1 || len != out.size()) {
    openssl_failed("EVP_DigestFinal_ex");
  }
  return out;
}

// HMAC with the named digest ("SHA256", "SHA1") into `out`, which has the digest's size.
template <std::size_t N>
std::array<unsigned char, N> hmac(const char* digest, std::string_view key, std::string_view data) {
  std::unique_ptr<EVP_MAC, MacFree> mac{EVP_MAC_fetch(nullptr, "HMAC", nullptr)};
  if (!mac) openssl_failed("EVP_MAC_fetch(HMAC)");
  std::unique_ptr<EVP_MAC_CTX, MacCtxFree> ctx{EVP_MAC_CTX_new(mac.get())};
  if (!ctx) openssl_failed("EVP_MAC_CTX_new");
  std::string digest_name(digest);
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name.data(), 0),
                               OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(ctx.get(), bytes_of(key), key.size(), params) != 1) openssl_failed("EVP_MAC_init");
  if (EVP_MAC_update(ctx.get(), bytes_of(data), data.size()) != 1) openssl_failed("EVP_MAC_update");
  std::array<unsigned char, N> out{};
  std::size_t len = 0;
  if (EVP_MAC_final(ctx.get(), out.data(), &len, out.size()) != 1 || len != out.size()) {
    openssl_failed("EVP_MAC_final");
  }
  return out;
}

Sha256Bytes hmac_sha256(std::string_view key, std::string_view data) { return hmac<32>("SHA256", key, data); }

}  // namespace

std::string hex_sha256(std::string_view data) { return to_hex(sha256(data)); }

std::string hex_hmac_sha256(std::string_view key, std::string_view data) {
  return to_hex(hmac_sha256(key, data));
}

std::string base64_hmac_sha1(std::string_view key, std::string_view data) {
  const auto mac = hmac<20>("SHA1", key, data);
  std::array<unsigned char, 4 * ((20 + 2) / 3) + 1> out{};  // EVP_EncodeBlock writes a NUL
  const int len = EVP_EncodeBlock(out.data(), mac.data(), static_cast<int>(mac.size()));
  if (len != 28) openssl_failed("EVP_EncodeBlock");
  return std::string(reinterpret_cast<const char*>(out.data()), static_cast<std::size_t>(len));
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  // Only the length can leak, and signature lengths are public.
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(bytes_of(a), bytes_of(b), a.size()) == 0;
}

}  // namespace provision::api
