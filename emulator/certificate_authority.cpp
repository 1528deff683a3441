// OpenSSL 3 key and certificate generation; every OpenSSL object is owned by a unique_ptr.
#include "emulator/certificate_authority.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>

#include "core/error.hpp"
#include "emulator/atomic_file.hpp"

namespace provision::emulator {
namespace {

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(BIGNUM* p) const { BN_free(p); }
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Free>;
using CertPtr = std::unique_ptr<X509, Free>;
using BioPtr = std::unique_ptr<BIO, Free>;
using BigNumPtr = std::unique_ptr<BIGNUM, Free>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Free>;

// The OpenSSL error queue as text, emptied so it does not leak into later calls.
std::string openssl_errors() {
  std::string out;
  while (unsigned long code = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

void check(bool ok, const char* what) {
  if (!ok) throw Error(ErrorKind::kInternal, std::string("certificate: ") + what + ": " + openssl_errors());
}

KeyPtr make_key() {
  KeyPtr key{EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")};
  check(key != nullptr, "cannot generate an EC P-256 key");
  return key;
}

void set_time(ASN1_TIME* field, std::chrono::system_clock::time_point t) {
  check(ASN1_TIME_set(field, std::chrono::system_clock::to_time_t(t)) != nullptr, "cannot set validity");
}

void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  ExtensionPtr ext{X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str())};
  check(ext != nullptr, "cannot build certificate extension");
  check(X509_add_ext(cert, ext.get(), -1) == 1, "cannot add certificate extension");
}

// A certificate with subject CN, a random 128-bit serial, and the given validity.
CertPtr make_certificate(EVP_PKEY* key, const std::string& common_name,
                         std::chrono::system_clock::time_point from,
                         std::chrono::system_clock::time_point to) {
  CertPtr cert{X509_new()};
  check(cert != nullptr, "cannot allocate certificate");
  check(X509_set_version(cert.get(), 2) == 1, "cannot set version");
  BigNumPtr serial{BN_new()};
  check(serial && BN_rand(serial.get(), 128, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1, "cannot make serial");
  check(BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) != nullptr, "cannot set serial");
  set_time(X509_getm_notBefore(cert.get()), from);
  set_time(X509_getm_notAfter(cert.get()), to);
  check(X509_set_pubkey(cert.get(), key) == 1, "cannot set public key");
  X509_NAME* name = X509_get_subject_name(cert.get());
  check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("provision-emulator"), -1, -1,
                                   0) == 1,
        "cannot set organisation");
  check(
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0) == 1,
      "cannot set common name");
  return cert;
}

std::string to_pem(X509* cert) {
  BioPtr bio{BIO_new(BIO_s_mem())};
  check(bio && PEM_write_bio_X509(bio.get(), cert) == 1, "cannot encode certificate");
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string to_pem(EVP_PKEY* key) {
  BioPtr bio{BIO_new(BIO_s_mem())};
  check(bio && PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "cannot encode private key");
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

BioPtr read_bio(const std::string& pem) {
  BioPtr bio{BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))};
  check(bio != nullptr, "cannot allocate buffer");
  return bio;
}

CertPtr parse_certificate(const std::string& pem) {
  BioPtr bio = read_bio(pem);
  return CertPtr{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)};
}

KeyPtr parse_key(const std::string& pem) {
  BioPtr bio = read_bio(pem);
  return KeyPtr{PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)};
}

std::string subject_alt_names(const CertificateOptions& options) {
  std::string san;
  for (const auto& dns : options.dns_names) san += (san.empty() ? "" : ",") + std::string("DNS:") + dns;
  for (const auto& ip : options.ip_addresses) san += (san.empty() ? "" : ",") + std::string("IP:") + ip;
  return san;
}

CertificateBundle sign_server(X509* ca_cert, EVP_PKEY* ca_key, const CertificateOptions& options) {
  KeyPtr key = make_key();
  CertPtr cert = make_certificate(key.get(), options.common_name, options.not_before, options.not_after);
  check(X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert)) == 1, "cannot set issuer");
  add_extension(cert.get(), ca_cert, NID_basic_constraints, "critical,CA:FALSE");
  add_extension(cert.get(), ca_cert, NID_key_usage, "critical,digitalSignature,keyEncipherment");
  add_extension(cert.get(), ca_cert, NID_ext_key_usage, "serverAuth");
  add_extension(cert.get(), ca_cert, NID_subject_key_identifier, "hash");
  add_extension(cert.get(), ca_cert, NID_authority_key_identifier, "keyid:always");
  std::string san = subject_alt_names(options);
  if (!san.empty()) add_extension(cert.get(), ca_cert, NID_subject_alt_name, san);
  check(X509_sign(cert.get(), ca_key, EVP_sha256()) > 0, "cannot sign server certificate");
  CertificateBundle bundle;
  bundle.server_certificate_pem = to_pem(cert.get());
  bundle.server_key_pem = to_pem(key.get());
  return bundle;
}

[[noreturn]] void damaged(const std::filesystem::path& path, const std::string& why) {
  ERR_clear_error();
  throw Error(ErrorKind::kState, "certificate file " + path.string() + ": " + why +
                                     " (remove the certificate files to make new ones)");
}

}  // namespace

CertificatePaths certificate_paths(const std::filesystem::path& dir, const CertificateFileNames& names) {
  return {dir / names.ca_certificate, dir / names.ca_key, dir / names.server_certificate,
          dir / names.server_key};
}

CertificateBundle make_certificate_bundle(const CertificateOptions& options) {
  KeyPtr ca_key = make_key();
  CertPtr ca = make_certificate(ca_key.get(), options.ca_common_name, options.not_before,
                                options.not_before + std::chrono::hours(24 * 3650));
  check(X509_set_issuer_name(ca.get(), X509_get_subject_name(ca.get())) == 1, "cannot set issuer");
  add_extension(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
  add_extension(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_extension(ca.get(), ca.get(), NID_subject_key_identifier, "hash");
  check(X509_sign(ca.get(), ca_key.get(), EVP_sha256()) > 0, "cannot sign CA certificate");
  CertificateBundle bundle = sign_server(ca.get(), ca_key.get(), options);
  bundle.ca_certificate_pem = to_pem(ca.get());
  bundle.ca_key_pem = to_pem(ca_key.get());
  return bundle;
}

CertificateBundle issue_server_certificate(const CertificateBundle& ca, const CertificateOptions& options) {
  CertPtr ca_cert = parse_certificate(ca.ca_certificate_pem);
  KeyPtr ca_key = parse_key(ca.ca_key_pem);
  check(ca_cert && ca_key, "cannot parse the CA certificate or key");
  CertificateBundle bundle = sign_server(ca_cert.get(), ca_key.get(), options);
  bundle.ca_certificate_pem = ca.ca_certificate_pem;
  bundle.ca_key_pem = ca.ca_key_pem;
  return bundle;
}

CertificatePaths write_certificate_bundle(const std::filesystem::path& dir, const CertificateBundle& bundle,
                                          const CertificateFileNames& names) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error(ErrorKind::kState, "cannot create directory " + dir.string() + ": " + ec.message());
  CertificatePaths paths = certificate_paths(dir, names);
  // Keys first and the CA certificate last: a reader that finds ca.pem finds the rest.
  write_file_atomically(paths.ca_key, bundle.ca_key_pem, 0600);
  write_file_atomically(paths.server_key, bundle.server_key_pem, 0600);
  write_file_atomically(paths.server_certificate, bundle.server_certificate_pem, 0644);
  write_file_atomically(paths.ca_certificate, bundle.ca_certificate_pem, 0644);
  return paths;
}

std::optional<CertificateBundle> load_certificate_bundle(const std::filesystem::path& dir,
                                                         const CertificateFileNames& names) {
  CertificatePaths paths = certificate_paths(dir, names);
  const std::filesystem::path* files[] = {&paths.ca_certificate, &paths.ca_key, &paths.server_certificate,
                                          &paths.server_key};
  std::optional<std::string> texts[4];
  int present = 0;
  for (int i = 0; i < 4; ++i) {
    texts[i] = read_file_if_exists(*files[i]);
    if (texts[i]) ++present;
  }
  if (present == 0) return std::nullopt;
  for (int i = 0; i < 4; ++i)
    if (!texts[i]) damaged(*files[i], "missing while the other certificate files exist");
  CertificateBundle bundle{*texts[0], *texts[1], *texts[2], *texts[3]};
  CertPtr ca = parse_certificate(bundle.ca_certificate_pem);
  if (!ca) damaged(paths.ca_certificate, "not a PEM certificate");
  KeyPtr ca_key = parse_key(bundle.ca_key_pem);
  if (!ca_key) damaged(paths.ca_key, "not a PEM private key");
  CertPtr server = parse_certificate(bundle.server_certificate_pem);
  if (!server) damaged(paths.server_certificate, "not a PEM certificate");
  KeyPtr server_key = parse_key(bundle.server_key_pem);
  if (!server_key) damaged(paths.server_key, "not a PEM private key");
  if (X509_check_private_key(ca.get(), ca_key.get()) != 1) damaged(paths.ca_key, "does not match the CA");
  if (X509_check_private_key(server.get(), server_key.get()) != 1)
    damaged(paths.server_key, "does not match the server certificate");
  if (X509_verify(server.get(), ca_key.get()) != 1) damaged(paths.server_certificate, "not signed by the CA");
  return bundle;
}

CertificatePaths ensure_certificates(const std::filesystem::path& dir, const CertificateFileNames& names) {
  if (load_certificate_bundle(dir, names)) return certificate_paths(dir, names);
  return write_certificate_bundle(dir, make_certificate_bundle(), names);
}

}  // namespace provision::emulator
