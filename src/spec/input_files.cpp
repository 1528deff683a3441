// Filesystem access for specs, kept apart from parsing so tests can feed text directly.
#include "spec/input_files.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <istream>

namespace provision::spec {
namespace {

namespace fs = std::filesystem;

Diagnostic file_error(const std::string& file, std::string code, std::string message) {
  Diagnostic d;
  d.code = std::move(code);
  d.location = {file, 0, 0};
  d.message = std::move(message);
  return d;
}

bool is_spec_file(const fs::path& p) { return p.extension() == ".yaml" || p.extension() == ".yml"; }

bool is_hidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

std::vector<InputFile> directory_specs(const std::string& dir, Diagnostics& diagnostics) {
  std::vector<std::string> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (is_hidden(it->path())) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec) && is_spec_file(it->path())) found.push_back(it->path().generic_string());
  }
  if (ec) diagnostics.push_back(file_error(dir, "spec.io", "cannot read directory: " + ec.message()));
  std::sort(found.begin(), found.end());
  if (found.empty() && !ec)
    diagnostics.push_back(file_error(dir, "spec.no_specs", "no *.yaml or *.yml files in this directory"));
  std::vector<InputFile> out;
  out.reserve(found.size());
  for (auto& f : found) out.push_back({std::move(f), false});
  return out;
}

std::string size_message(std::uintmax_t size, std::size_t max_bytes) {
  return "the input is " +
         (size == static_cast<std::uintmax_t>(-1) ? "more than " + std::to_string(max_bytes)
                                                  : std::to_string(size)) +
         " bytes; specs are limited to " + std::to_string(max_bytes) + " bytes (" +
         std::to_string(max_bytes >> 20) + " MiB)";
}

// Reads at most max_bytes + 1 bytes, so an endless stream cannot exhaust memory.
std::optional<std::string> read_capped(std::istream& in, const std::string& name, std::size_t max_bytes,
                                       Diagnostics& diagnostics) {
  std::string text;
  char buffer[65536];
  while (in) {
    in.read(buffer, sizeof buffer);
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes) {
      diagnostics.push_back(
          file_error(name, "spec.size_limit", size_message(static_cast<std::uintmax_t>(-1), max_bytes)));
      return std::nullopt;
    }
  }
  if (in.bad()) {
    diagnostics.push_back(file_error(name, "spec.io", "cannot read: " + std::string(std::strerror(errno))));
    return std::nullopt;
  }
  return text;
}

}  // namespace

std::vector<InputFile> expand_inputs(const std::vector<std::string>& paths, Diagnostics& diagnostics) {
  std::vector<InputFile> out;
  for (const auto& p : paths) {
    if (p == "-") {
      out.push_back({"-", true});
      continue;
    }
    std::error_code ec;
    const auto status = fs::status(p, ec);
    if (ec || !fs::exists(status)) {
      diagnostics.push_back(
          file_error(p, "spec.io", "cannot read: " + (ec ? ec.message() : "no such file or directory")));
    } else if (fs::is_directory(status)) {
      for (auto& f : directory_specs(p, diagnostics)) out.push_back(std::move(f));
    } else {
      out.push_back({p, false});
    }
  }
  return out;
}

std::optional<std::string> read_input(const InputFile& input, std::istream* stdin_stream,
                                      std::size_t max_bytes, Diagnostics& diagnostics) {
  if (input.is_stdin) {
    if (!stdin_stream) {
      diagnostics.push_back(file_error(input.name, "spec.io", "standard input is not available"));
      return std::nullopt;
    }
    return read_capped(*stdin_stream, input.name, max_bytes, diagnostics);
  }
  std::error_code ec;
  if (fs::is_regular_file(input.name, ec)) {
    const auto size = fs::file_size(input.name, ec);
    if (!ec && size > max_bytes) {
      diagnostics.push_back(file_error(input.name, "spec.size_limit", size_message(size, max_bytes)));
      return std::nullopt;
    }
  }
  std::ifstream in(input.name, std::ios::binary);
  if (!in) {
    diagnostics.push_back(
        file_error(input.name, "spec.io", "cannot open: " + std::string(std::strerror(errno))));
    return std::nullopt;
  }
  return read_capped(in, input.name, max_bytes, diagnostics);
}

}  // namespace provision::spec
