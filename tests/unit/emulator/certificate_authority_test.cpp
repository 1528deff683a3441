#include "emulator/certificate_authority.hpp"

#include <doctest/doctest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <memory>

#include "core/error.hpp"
#include "support/temp_dir.hpp"

using namespace provision;
using namespace provision::emulator;

namespace {

struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
};

std::unique_ptr<X509, X509Free> parse(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio{BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())),
                                                &BIO_free};
  return std::unique_ptr<X509, X509Free>{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)};
}

// The X509_V_* result of verifying the server certificate against the CA alone.
int verify(const CertificateBundle& b) {
  auto ca = parse(b.ca_certificate_pem);
  auto server = parse(b.server_certificate_pem);
  REQUIRE(ca);
  REQUIRE(server);
  std::unique_ptr<X509_STORE, X509Free> store{X509_STORE_new()};
  X509_STORE_add_cert(store.get(), ca.get());
  std::unique_ptr<X509_STORE_CTX, X509Free> ctx{X509_STORE_CTX_new()};
  X509_STORE_CTX_init(ctx.get(), store.get(), server.get(), nullptr);
  X509_verify_cert(ctx.get());
  return X509_STORE_CTX_get_error(ctx.get());
}

bool matches_host(const CertificateBundle& b, const std::string& host) {
  auto server = parse(b.server_certificate_pem);
  return X509_check_host(server.get(), host.c_str(), host.size(), 0, nullptr) == 1;
}

bool matches_ip(const CertificateBundle& b, const std::string& ip) {
  auto server = parse(b.server_certificate_pem);
  return X509_check_ip_asc(server.get(), ip.c_str(), 0) == 1;
}

}  // namespace

TEST_CASE("the server certificate chains to the CA and names localhost and 127.0.0.1") {
  CertificateBundle b = make_certificate_bundle();
  CHECK(verify(b) == X509_V_OK);
  CHECK(matches_host(b, "localhost"));
  CHECK(matches_ip(b, "127.0.0.1"));
  CHECK_FALSE(matches_host(b, "example.com"));
  CHECK_FALSE(matches_ip(b, "127.0.0.2"));
  CHECK(b.server_key_pem.find("PRIVATE KEY") != std::string::npos);
}

TEST_CASE("tests can make expired and wrong-host certificates") {
  CertificateOptions expired;
  expired.not_before = std::chrono::system_clock::now() - std::chrono::hours(48);
  expired.not_after = std::chrono::system_clock::now() - std::chrono::hours(24);
  CHECK(verify(make_certificate_bundle(expired)) == X509_V_ERR_CERT_HAS_EXPIRED);

  CertificateBundle good = make_certificate_bundle();
  CertificateOptions wrong_host;
  wrong_host.common_name = "wrong.invalid";
  wrong_host.dns_names = {"wrong.invalid"};
  wrong_host.ip_addresses = {};
  CertificateBundle wrong = issue_server_certificate(good, wrong_host);
  CHECK(wrong.ca_certificate_pem == good.ca_certificate_pem);
  CHECK(verify(wrong) == X509_V_OK);
  CHECK_FALSE(matches_host(wrong, "localhost"));
  CHECK_FALSE(matches_ip(wrong, "127.0.0.1"));
  CHECK(matches_host(wrong, "wrong.invalid"));

  // A certificate from another CA does not verify against this one.
  CertificateBundle other = make_certificate_bundle();
  other.ca_certificate_pem = good.ca_certificate_pem;
  CHECK(verify(other) != X509_V_OK);
}

TEST_CASE("ensure_certificates creates the files once and loads them afterwards") {
  test::TempDir dir;
  CertificatePaths paths = ensure_certificates(dir.path() / "data");
  CHECK(paths.ca_certificate == dir.path() / "data" / "ca.pem");
  std::string first = test::read_file(paths.ca_certificate);
  struct stat st {};
  REQUIRE(::stat(paths.server_key.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(::stat(paths.ca_key.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  ensure_certificates(dir.path() / "data");
  CHECK(test::read_file(paths.ca_certificate) == first);
  auto loaded = load_certificate_bundle(dir.path() / "data");
  REQUIRE(loaded);
  CHECK(loaded->ca_certificate_pem == first);
  CHECK(verify(*loaded) == X509_V_OK);
}

TEST_CASE("custom file names, and absent files load as nothing") {
  test::TempDir dir;
  CHECK_FALSE(load_certificate_bundle(dir.path()));
  CertificateFileNames names{"other-ca.pem", "other-ca-key.pem", "other.pem", "other-key.pem"};
  CertificatePaths paths = write_certificate_bundle(dir.path(), make_certificate_bundle(), names);
  CHECK(paths.server_certificate.filename() == "other.pem");
  CHECK(load_certificate_bundle(dir.path(), names));
  CHECK_FALSE(load_certificate_bundle(dir.path()));
}

TEST_CASE("damaged or partial certificate files are reported, naming the file") {
  test::TempDir dir;
  CertificatePaths paths = ensure_certificates(dir.path());

  SUBCASE("a missing key") {
    std::filesystem::remove(paths.server_key);
    CHECK_THROWS_WITH_AS(load_certificate_bundle(dir.path()), doctest::Contains("server-key.pem: missing"),
                         Error);
  }
  SUBCASE("garbage instead of a certificate") {
    dir.write("server.pem", "not a certificate\n");
    CHECK_THROWS_WITH_AS(load_certificate_bundle(dir.path()), doctest::Contains("server.pem: not a PEM"),
                         Error);
  }
  SUBCASE("a key from another bundle") {
    dir.write("server-key.pem", make_certificate_bundle().server_key_pem);
    CHECK_THROWS_WITH_AS(ensure_certificates(dir.path()), doctest::Contains("does not match"), Error);
  }
}
