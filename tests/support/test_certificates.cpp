// Test certificates with the OpenSSL 3 API: EC P-256 keys, a self-signed CA, server
// certificates with subjectAltName entries. Every OpenSSL object is owned by a unique_ptr.
#include "support/test_certificates.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <memory>
#include <stdexcept>

namespace provision::test {

namespace {

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Free>;
using CertPtr = std::unique_ptr<X509, Free>;
using BioPtr = std::unique_ptr<BIO, Free>;

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test certificates: ") + what + " failed");
}

KeyPtr make_key() {
  KeyPtr key(EVP_EC_gen("P-256"));
  require(key != nullptr, "EVP_EC_gen");
  return key;
}

void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  require(ext != nullptr, "X509V3_EXT_conf_nid");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// An unsigned certificate for `key` named `common_name`, valid over [from, to] seconds from now.
CertPtr make_cert(EVP_PKEY* key, const std::string& common_name, long from, long to) {
  static std::atomic<long> serial{1};
  CertPtr cert(X509_new());
  require(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial++);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), from);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), to);
  X509_set_pubkey(cert.get(), key);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0);
  return cert;
}

template <class Write>
std::string pem_of(Write write) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  require(bio != nullptr && write(bio.get()) == 1, "PEM_write_bio");
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

CertificateAndKey to_pem(X509* cert, EVP_PKEY* key) {
  return {pem_of([&](BIO* b) { return PEM_write_bio_X509(b, cert); }), pem_of([&](BIO* b) {
            return PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr);
          })};
}

BioPtr read_bio(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  require(bio != nullptr, "BIO_new_mem_buf");
  return bio;
}

std::string subject_alt_names(const CertificateRequest& request) {
  std::string san;
  for (const auto& d : request.dns_names) san += (san.empty() ? "" : ",") + std::string("DNS:") + d;
  for (const auto& ip : request.ip_addresses) san += (san.empty() ? "" : ",") + std::string("IP:") + ip;
  return san;
}

constexpr long kDay = 86400;

}  // namespace

TestCa::TestCa(const std::string& common_name) {
  KeyPtr key = make_key();
  CertPtr ca = make_cert(key.get(), common_name, -3600, 2 * kDay);
  X509_set_issuer_name(ca.get(), X509_get_subject_name(ca.get()));
  add_extension(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_extension(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_extension(ca.get(), ca.get(), NID_subject_key_identifier, "hash");
  require(X509_sign(ca.get(), key.get(), EVP_sha256()) > 0, "X509_sign");
  pem_ = to_pem(ca.get(), key.get());
}

CertificateAndKey TestCa::issue(const CertificateRequest& request) const {
  CertPtr ca(PEM_read_bio_X509(read_bio(pem_.certificate_pem).get(), nullptr, nullptr, nullptr));
  KeyPtr ca_key(PEM_read_bio_PrivateKey(read_bio(pem_.key_pem).get(), nullptr, nullptr, nullptr));
  require(ca != nullptr && ca_key != nullptr, "reading the CA");
  KeyPtr key = make_key();
  // Expired: valid from two days ago until yesterday.
  CertPtr cert = request.expired ? make_cert(key.get(), "provision test server", -2 * kDay, -kDay)
                                 : make_cert(key.get(), "provision test server", -3600, 2 * kDay);
  X509_set_issuer_name(cert.get(), X509_get_subject_name(ca.get()));
  add_extension(cert.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_extension(cert.get(), ca.get(), NID_key_usage, "critical,digitalSignature");
  add_extension(cert.get(), ca.get(), NID_ext_key_usage, "serverAuth");
  add_extension(cert.get(), ca.get(), NID_authority_key_identifier, "keyid");
  if (const std::string san = subject_alt_names(request); !san.empty())
    add_extension(cert.get(), ca.get(), NID_subject_alt_name, san);
  require(X509_sign(cert.get(), ca_key.get(), EVP_sha256()) > 0, "X509_sign");
  return to_pem(cert.get(), key.get());
}

std::string unrelated_ca_pem() { return TestCa("unrelated test CA").pem().certificate_pem; }

}  // namespace provision::test
