// provision-emulator: parse flags, prepare the data directory (certificates, clusters), print
// the two start lines, serve until SIGTERM/SIGINT, persist, exit 0.
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "core/error.hpp"
#include "emulator/access_keys.hpp"
#include "emulator/access_log.hpp"
#include "emulator/certificate_authority.hpp"
#include "emulator/cluster_store.hpp"
#include "emulator/emulator_options.hpp"
#include "emulator/https_server.hpp"
#include "emulator/request_handler.hpp"

namespace {

using namespace provision;
using namespace provision::emulator;

int serve(const EmulatorOptions& options) {
  std::filesystem::path data_dir = std::filesystem::absolute(options.data_dir);
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec)
    throw Error(ErrorKind::kState, "cannot create data directory " + data_dir.string() + ": " + ec.message());
  const CertificatePaths certificates = ensure_certificates(data_dir);
  AccessKeyTable keys = load_access_keys(options.access_keys_file, std::getenv(kAccessKeysEnv.data()));
  ClusterStore store(data_dir / "clusters.json");
  store.load();
  // Fold the journal of the last run (after a crash) into the snapshot; appends start afresh.
  if (std::filesystem::exists(store.journal_file())) store.compact();
  std::optional<AccessLog> log;
  if (options.access_log) log.emplace(*options.access_log);

  HandlerSettings settings;
  settings.start_delay = options.start_delay;
  settings.rate_limit = options.rate_limit;
  settings.faults = {options.fault_rate, options.faults, options.seed};
  settings.slow_delay = options.slow_delay;
  if (options.oidc_tokens_file)
    settings.sts.oidc_tokens = StsService::load_oidc_tokens(*options.oidc_tokens_file);
  settings.sts.duration = options.sts_duration;
  SystemClock clock;
  OsRandom random;
  RequestHandler handler(settings, std::move(keys), store, clock, random);

  ServerSettings server_settings;
  server_settings.host = options.listen_host;
  server_settings.port = options.listen_port;
  server_settings.certificate = certificates.server_certificate;
  server_settings.private_key = certificates.server_key;
  server_settings.max_connections = options.max_connections;
  HttpsServer server(server_settings, handler, log ? &*log : nullptr);
  const std::uint16_t port = server.listen();
  const std::string host = options.listen_host.find(':') != std::string::npos
                               ? "[" + options.listen_host + "]"
                               : options.listen_host;
  std::cout << "provision-emulator: CA certificate: " << certificates.ca_certificate.string() << std::endl;
  std::cout << "provision-emulator: listening on https://" << host << ":" << port << std::endl;
  server.run();
  store.compact();  // every change was journaled when committed; this folds them (and settled
                    // transitions) into clusters.json and removes the journal
  std::cout << "provision-emulator: stopped" << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const EmulatorOptions options = parse_emulator_options(std::vector<std::string>(argv + 1, argv + argc));
    if (options.help) {
      std::cout << emulator_usage();
      return 0;
    }
    if (options.version) {
      std::cout << "provision-emulator " << PROVISION_VERSION << "\n";
      return 0;
    }
    return serve(options);
  } catch (const Error& e) {
    std::cerr << "provision-emulator: error: " << e.what() << std::endl;
    return to_int(exit_code_for(e.kind()));
  } catch (const std::exception& e) {
    std::cerr << "provision-emulator: error: " << e.what() << std::endl;
    return to_int(ExitCode::kError);
  }
}
