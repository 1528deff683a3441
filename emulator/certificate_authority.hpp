// A throwaway certificate authority for the emulator's TLS: a CA and a server
// certificate signed by it, made with the OpenSSL 3 API and kept as PEM files.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace provision::emulator {

// What to put in a server certificate. Tests change these to make an expired or
// wrong-host certificate.
struct CertificateOptions {
  std::string ca_common_name = "provision-emulator local CA";  // used by make_certificate_bundle
  std::string common_name = "localhost";
  std::vector<std::string> dns_names{"localhost"};     // subjectAltName DNS entries
  std::vector<std::string> ip_addresses{"127.0.0.1"};  // subjectAltName IP entries
  // Validity of the server certificate; the CA is valid from not_before for ten years.
  std::chrono::system_clock::time_point not_before = std::chrono::system_clock::now() - std::chrono::hours(1);
  std::chrono::system_clock::time_point not_after =
      std::chrono::system_clock::now() + std::chrono::hours(24 * 825);
};

// PEM text of a CA and a server certificate with their private keys.
struct CertificateBundle {
  std::string ca_certificate_pem;
  std::string ca_key_pem;
  std::string server_certificate_pem;
  std::string server_key_pem;
};

// File names inside a directory; the defaults are what provision-emulator uses.
struct CertificateFileNames {
  std::string ca_certificate = "ca.pem";
  std::string ca_key = "ca-key.pem";
  std::string server_certificate = "server.pem";
  std::string server_key = "server-key.pem";
};

// Full paths of the four files.
struct CertificatePaths {
  std::filesystem::path ca_certificate;
  std::filesystem::path ca_key;
  std::filesystem::path server_certificate;
  std::filesystem::path server_key;
};

CertificatePaths certificate_paths(const std::filesystem::path& dir, const CertificateFileNames& names = {});

// A new CA (EC P-256) and a server certificate signed by it. Throws Error(kInternal).
CertificateBundle make_certificate_bundle(const CertificateOptions& options = {});

// A new server certificate signed by the CA of `ca` (its server fields are ignored);
// the result keeps that CA. Lets tests make a wrong-host or expired certificate that
// the same ca.pem would otherwise trust.
CertificateBundle issue_server_certificate(const CertificateBundle& ca, const CertificateOptions& options);

// Writes the four files atomically (private keys 0600), creating `dir` if needed.
CertificatePaths write_certificate_bundle(const std::filesystem::path& dir, const CertificateBundle& bundle,
                                          const CertificateFileNames& names = {});

// Reads the four files back and checks that they parse and that each key matches its
// certificate. nullopt when none of them exists; throws Error(kState) naming the file
// when only some exist or one is damaged.
std::optional<CertificateBundle> load_certificate_bundle(const std::filesystem::path& dir,
                                                         const CertificateFileNames& names = {});

// What the emulator does at start: load the files from `dir`, or create and write them
// when absent. Returns their paths.
CertificatePaths ensure_certificates(const std::filesystem::path& dir,
                                     const CertificateFileNames& names = {});

}  // namespace provision::emulator
