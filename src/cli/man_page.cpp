// Roff is written by hand here (no help2man): .TH/.SH/.TP/.PP/.nf only, which man-db
// renders without warnings.
#include "cli/man_page.hpp"

#include <cstdio>
#include <sstream>

#include "cli/app.hpp"
#include "core/exit_code_table.hpp"

namespace provision::cli {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(' ');
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(' ') - b + 1);
}

// Paragraphs of `text`: filled when they are prose, verbatim (.nf) when a line is indented
// or has aligned columns, so tables in help text keep their shape.
void paragraphs(std::ostream& out, const std::string& text) {
  std::vector<std::vector<std::string>> blocks(1);
  for (const auto& line : lines_of(text)) {
    if (trim(line).empty()) {
      if (!blocks.back().empty()) blocks.emplace_back();
    } else {
      blocks.back().push_back(line);
    }
  }
  for (const auto& block : blocks) {
    if (block.empty()) continue;
    bool verbatim = false;
    for (const auto& line : block)
      if (line.rfind("  ", 0) == 0 || line.find("   ") != std::string::npos) verbatim = true;
    out << ".PP\n";
    if (verbatim) out << ".nf\n";
    for (const auto& line : block) out << roff_escape(verbatim ? line : trim(line)) << "\n";
    if (verbatim) out << ".fi\n";
  }
}

void header(std::ostream& out, const std::string& name, const std::string& summary,
            const std::string& version) {
  std::string upper;
  for (char c : name) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  out << ".\\\" Generated from the command table at build time; do not edit.\n"
      << ".TH " << roff_escape(upper) << " 1 \"\" \"provision " << roff_escape(version)
      << "\" \"User Commands\"\n"
      << ".SH NAME\n"
      << roff_escape(name) << " \\- " << roff_escape(summary) << "\n";
}

void option_item(std::ostream& out, const OptionSpec& o) {
  out << ".TP\n\\fB" << roff_escape(o.name) << "\\fR";
  if (!o.value_name.empty()) out << " \\fI" << roff_escape(o.value_name) << "\\fR";
  out << "\n" << roff_escape(o.help) << "\n";
}

std::vector<std::pair<std::string, std::string>> provision_exit_codes() {
  std::vector<std::pair<std::string, std::string>> codes;
  for (const auto& row : exit_code_table()) codes.emplace_back(std::to_string(to_int(row.code)), row.summary);
  return codes;
}

void exit_status(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& codes) {
  out << ".SH EXIT STATUS\n";
  for (const auto& [code, meaning] : codes) out << ".TP\n.B " << code << "\n" << roff_escape(meaning) << "\n";
}

void environment(std::ostream& out, const std::vector<EnvironmentVariable>& variables) {
  if (variables.empty()) return;
  out << ".SH ENVIRONMENT\n";
  for (const auto& v : variables)
    out << ".TP\n.B " << roff_escape(v.name) << "\n" << roff_escape(v.meaning) << "\n";
}

void see_also(std::ostream& out, const std::vector<std::string>& pages) {
  out << ".SH SEE ALSO\n";
  for (std::size_t i = 0; i < pages.size(); ++i)
    out << ".BR " << roff_escape(pages[i]) << " (1)" << (i + 1 < pages.size() ? "," : "") << "\n";
  out << ".PP\nThe documentation in /usr/share/doc/provision/.\n";
}

void synopsis(std::ostream& out, const std::string& usage) {
  // Filled (a long usage wraps at the page width), one usage form per line.
  out << ".SH SYNOPSIS\n";
  for (const auto& line : lines_of(usage)) out << roff_escape(trim(line)) << "\n.br\n";
}

}  // namespace

std::string roff_escape(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else if (c < 0x80) {
      if ((c == '.' || c == '\'') && (out.empty() || out.back() == '\n')) out += "\\&";
      out += static_cast<char>(c);
    } else {
      // UTF-8 -> code point -> \[uXXXX] (groff's Unicode escape).
      int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
      unsigned code = c & (0x3Fu >> extra);
      for (int k = 0; k < extra && i + 1 < text.size(); ++k) code = (code << 6) | (text[++i] & 0x3Fu);
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\[u%04X]", code);
      out += buf;
    }
  }
  return out;
}

const std::vector<EnvironmentVariable>& environment_variables() {
  static const std::vector<EnvironmentVariable> variables = {
      {"PROVISION_STATE", "the default for --state: a state file, or a postgresql:// URI"},
      {"PROVISION_STATE_NAME",
       "the default for --state-name (the state's name in PostgreSQL; default 'default')"},
      {"ALIBABA_CLOUD_ACCESS_KEY_ID",
       "the access key ID (with ALIBABA_CLOUD_ACCESS_KEY_SECRET); first in the "
       "credentials chain"},
      {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "the access key secret"},
      {"ALIBABA_CLOUD_SECURITY_TOKEN", "the STS security token, for temporary credentials"},
      {"ALIBABA_CLOUD_ROLE_ARN", "the RAM role to assume with an OIDC token (with the next two)"},
      {"ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "the OIDC identity provider of that role"},
      {"ALIBABA_CLOUD_OIDC_TOKEN_FILE", "the file holding the CI's OIDC token, read at each renewal"},
      {"ALIBABA_CLOUD_ROLE_SESSION_NAME", "the session name for assumed roles"},
      {"ALIBABA_CLOUD_STS_ENDPOINT", "the STS host[:port] (like --sts-endpoint)"},
      {"ALIBABA_CLOUD_STS_REGION", "the region whose STS endpoint is used (sts.REGION.aliyuncs.com)"},
      {"ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "true: use the VPC STS endpoint (sts-vpc.REGION.aliyuncs.com)"},
      {"ALIBABA_CLOUD_CREDENTIALS_FILE",
       "the shared credentials INI file (default ~/.alibabacloud/credentials)"},
      {"ALIBABA_CLOUD_CONFIG_FILE", "the aliyun CLI config file (default ~/.aliyun/config.json)"},
      {"ALIBABA_CLOUD_PROFILE", "the profile in that file, when --profile is not given"},
      {"ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true: do not read the aliyun CLI config file"},
      {"ALIBABA_CLOUD_ECS_METADATA", "the RAM role name for ECS instance metadata credentials"},
      {"ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true: do not use ECS instance metadata credentials"},
      {"ALIBABA_CLOUD_IMDSV1_DISABLED", "true: use only the IMDSv2 token flow for instance metadata"},
      {"NO_COLOR", "set and not empty: no colours"},
      {"HOME", "where ~/.aliyun/config.json is looked for"},
  };
  return variables;
}

std::vector<ManPage> provision_man_pages(const std::vector<CommandInfo>& table, const std::string& version) {
  std::vector<ManPage> pages;
  std::vector<std::string> all_pages = {"provision"};
  for (const auto& c : table) all_pages.push_back("provision-" + c.name);
  all_pages.push_back("provision-emulator");
  const auto codes = provision_exit_codes();

  std::ostringstream main;
  header(main, "provision", "Ray clusters on Alibaba Cloud EMR Serverless Spark from specs in git", version);
  synopsis(main, "provision COMMAND [options] [PATH...]\nprovision --help | --version");
  main << ".SH DESCRIPTION\n"
       << roff_escape(
              "provision turns Ray-cluster YAML specs into clusters: validate them, plan the changes, "
              "apply or destroy them, and inspect the state. Run 'provision COMMAND --help' or see "
              "provision-COMMAND(1) for a command's options.")
       << "\n.SH COMMANDS\n";
  for (const auto& c : table)
    main << ".TP\n.B " << roff_escape(c.name) << "\n" << roff_escape(c.summary) << "\n";
  exit_status(main, codes);
  environment(main, environment_variables());
  see_also(main, std::vector<std::string>(all_pages.begin() + 1, all_pages.end()));
  pages.push_back({"provision.1", main.str()});

  for (const auto& c : table) {
    std::ostringstream page;
    header(page, "provision-" + c.name, c.summary, version);
    synopsis(page, c.usage);
    page << ".SH DESCRIPTION\n" << roff_escape(c.summary) << "\n";
    if (!c.description.empty()) paragraphs(page, c.description);
    page << ".SH OPTIONS\n";
    for (const auto& o : c.options) option_item(page, o);
    exit_status(page, codes);
    environment(page, environment_variables());
    see_also(page, {"provision"});
    pages.push_back({"provision-" + c.name + ".1", page.str()});
  }
  return pages;
}

ManPage man_page_from_help(const std::string& program, const std::string& summary, const std::string& help,
                           const std::vector<EnvironmentVariable>& environment_vars,
                           const std::vector<std::pair<std::string, std::string>>& exit_codes,
                           const std::string& version) {
  const auto lines = lines_of(help);
  std::ostringstream page;
  header(page, program, summary, version);
  std::size_t i = 0;
  std::string usage = lines.empty() ? program : trim(lines[0]);
  if (usage.rfind("usage: ", 0) == 0) usage = usage.substr(7);
  synopsis(page, usage);
  std::string description, after;
  for (++i; i < lines.size() && trim(lines[i]) != "options:"; ++i) description += lines[i] + "\n";
  page << ".SH DESCRIPTION\n";
  paragraphs(page, description);
  page << ".SH OPTIONS\n";
  for (++i; i < lines.size() && !trim(lines[i]).empty(); ++i) {
    const std::string t = trim(lines[i]);
    if (lines[i].rfind("    ", 0) == 0) {  // a continuation of the previous option's help
      page << roff_escape(t) << "\n";
      continue;
    }
    const auto gap = t.find("  ");
    page << ".TP\n\\fB" << roff_escape(t.substr(0, gap)) << "\\fR\n";
    if (gap != std::string::npos) page << roff_escape(trim(t.substr(gap))) << "\n";
  }
  for (; i < lines.size(); ++i) after += lines[i] + "\n";
  paragraphs(page, after);
  exit_status(page, exit_codes);
  environment(page, environment_vars);
  see_also(page, {"provision"});
  return {program + ".1", page.str()};
}

}  // namespace provision::cli
