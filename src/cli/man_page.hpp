// Man pages (roff, man macros) generated from command_table(): provision(1) and one
// provision-<command>(1) per command, with the exit codes and environment variables.
#pragma once

#include <string>
#include <vector>

#include "cli/command_table.hpp"

namespace provision::cli {

struct ManPage {
  std::string file_name;  // "provision-apply.1"
  std::string text;       // roff source
};

struct EnvironmentVariable {
  std::string name;
  std::string meaning;
};

// The variables provision reads (the getenv calls in src/), for ENVIRONMENT sections.
const std::vector<EnvironmentVariable>& environment_variables();

// provision.1 followed by provision-<command>.1 for every command in `table`.
std::vector<ManPage> provision_man_pages(const std::vector<CommandInfo>& table, const std::string& version);

// A page for another program from its --help text: the first line is the usage, the
// paragraphs up to "options:" the description, then one option per line ("  --flag ARG  help",
// indented continuation lines), then further paragraphs. Exit codes and environment as given.
ManPage man_page_from_help(const std::string& program, const std::string& summary, const std::string& help,
                           const std::vector<EnvironmentVariable>& environment,
                           const std::vector<std::pair<std::string, std::string>>& exit_codes,
                           const std::string& version);

// `text` escaped for roff: backslashes, hyphens (minus signs), a leading '.' or '\'', and
// non-ASCII characters as \[uXXXX].
std::string roff_escape(const std::string& text);

}  // namespace provision::cli
