// Throwaway certificates for TLS tests: a CA, and server certificates it signs (valid, for
// another host, or expired). Made in memory by the emulator's certificate authority
// (emulator/certificate_authority.hpp); PEM text only. TempDir::write puts it in a file
// for a binary's --ca-file.
#pragma once

#include <string>
#include <vector>

namespace provision::test {

// A certificate and its private key, PEM.
struct CertificateAndKey {
  std::string certificate_pem;
  std::string key_pem;
};

// What a server certificate says.
struct CertificateRequest {
  std::vector<std::string> dns_names = {"localhost"};     // subjectAltName DNS entries
  std::vector<std::string> ip_addresses = {"127.0.0.1"};  // subjectAltName IP entries
  bool expired = false;                                   // valid until yesterday, no longer
};

class TestCa {
 public:
  explicit TestCa(const std::string& common_name = "provision test CA");

  const CertificateAndKey& pem() const { return pem_; }
  // A new key and a server certificate for it, signed by this CA.
  CertificateAndKey issue(const CertificateRequest& request = {}) const;

 private:
  CertificateAndKey pem_;
};

// PEM of a fresh CA that signed nothing a server presents ("wrong CA" tests).
std::string unrelated_ca_pem();

}  // namespace provision::test
