// A fresh directory under $TMPDIR for one test, removed at scope exit.
#pragma once

#include <filesystem>
#include <string>

#include "support/text_and_files.hpp"  // read_file

namespace provision::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  // Writes `content` to path()/name (creating parent folders) and returns the full path.
  std::filesystem::path write(const std::string& name, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

}  // namespace provision::test
