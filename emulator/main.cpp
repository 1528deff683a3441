// provision-emulator entry point (the server lands in a later commit; this only
// creates the certificates so other helpers' tests can use them).
#include <exception>
#include <iostream>
#include <string>

#include "emulator/certificate_authority.hpp"

int main(int argc, char** argv) {
  std::string data_dir = ".";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--version") {
      std::cout << "provision-emulator " << PROVISION_VERSION << "\n";
      return 0;
    }
    if (arg == "--data-dir" && i + 1 < argc) data_dir = argv[++i];
  }
  try {
    auto paths = provision::emulator::ensure_certificates(data_dir);
    std::cout << "provision-emulator: CA certificate: " << paths.ca_certificate.string() << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "provision-emulator: error: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "provision-emulator: error: the server is not implemented yet\n";
  return 1;
}
