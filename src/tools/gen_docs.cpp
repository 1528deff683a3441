// provision-gen-docs OUTDIR: writes, at build time, what the package installs beside the
// binaries and what the parser's table defines: OUTDIR/man1/*.1 (provision, one page per
// command, provision-emulator) and OUTDIR/completions/{provision,_provision,provision.fish}.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/command_table.hpp"
#include "cli/completion_script.hpp"
#include "cli/man_page.hpp"
#include "emulator/access_keys.hpp"
#include "emulator/emulator_options.hpp"

namespace {

void write(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

}  // namespace

int main(int argc, char** argv) {
  using namespace provision::cli;
  if (argc != 2) {
    std::cerr << "usage: provision-gen-docs OUTDIR\n";
    return 3;
  }
  try {
    const std::filesystem::path out = argv[1];
    std::filesystem::create_directories(out / "man1");
    std::filesystem::create_directories(out / "completions");
    const auto table = command_table();
    for (const auto& page : provision_man_pages(table, PROVISION_VERSION))
      write(out / "man1" / page.file_name, page.text);
    const auto emulator = man_page_from_help(
        "provision-emulator", "a local HTTPS stand-in for the Alibaba Cloud Ray-cluster API",
        provision::emulator::emulator_usage(),
        {{std::string(provision::emulator::kAccessKeysEnv),
          "accepted access keys, comma-separated id:secret[:sts-token], when --access-keys is not given"}},
        {{"0", "stopped cleanly by SIGTERM or SIGINT, or --help/--version"},
         {"1", "error"},
         {"3", "usage error (a bad flag or value)"},
         {"8", "the data directory cannot be created or read"}},
        PROVISION_VERSION);
    write(out / "man1" / emulator.file_name, emulator.text);
    write(out / "completions" / "provision", completion_script("bash", table));
    write(out / "completions" / "_provision", completion_script("zsh", table));
    write(out / "completions" / "provision.fish", completion_script("fish", table));
  } catch (const std::exception& e) {
    std::cerr << "provision-gen-docs: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
