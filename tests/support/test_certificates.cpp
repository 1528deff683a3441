// Test certificates from the emulator's certificate authority, which already makes EC
// P-256 CAs and server certificates with subjectAltName entries.
#include "support/test_certificates.hpp"

#include <chrono>

#include "emulator/certificate_authority.hpp"

namespace provision::test {

namespace {

emulator::CertificateOptions server_options(const CertificateRequest& request) {
  using namespace std::chrono_literals;
  emulator::CertificateOptions o;
  o.common_name = "provision test server";
  o.dns_names = request.dns_names;
  o.ip_addresses = request.ip_addresses;
  if (request.expired) {  // valid from two days ago until yesterday
    o.not_before = std::chrono::system_clock::now() - 48h;
    o.not_after = std::chrono::system_clock::now() - 24h;
  }
  return o;
}

}  // namespace

TestCa::TestCa(const std::string& common_name) {
  emulator::CertificateOptions o;
  o.ca_common_name = common_name;
  const emulator::CertificateBundle bundle = emulator::make_certificate_bundle(o);
  pem_ = {bundle.ca_certificate_pem, bundle.ca_key_pem};
}

CertificateAndKey TestCa::issue(const CertificateRequest& request) const {
  emulator::CertificateBundle ca;
  ca.ca_certificate_pem = pem_.certificate_pem;
  ca.ca_key_pem = pem_.key_pem;
  const emulator::CertificateBundle issued = emulator::issue_server_certificate(ca, server_options(request));
  return {issued.server_certificate_pem, issued.server_key_pem};
}

std::string unrelated_ca_pem() { return TestCa("unrelated test CA").pem().certificate_pem; }

}  // namespace provision::test
