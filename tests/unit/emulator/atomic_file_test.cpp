#include "emulator/atomic_file.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include "core/error.hpp"
#include "support/temp_dir.hpp"

using namespace provision;
using namespace provision::emulator;

TEST_CASE("atomic writes replace the whole file and leave no temp file") {
  test::TempDir dir;
  auto path = dir / "clusters.json";
  CHECK_FALSE(read_file_if_exists(path));
  write_file_atomically(path, "first");
  write_file_atomically(path, "second, longer", 0600);
  CHECK(read_file_if_exists(path) == std::optional<std::string>("second, longer"));
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  int entries = 0;
  for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(dir.path())) ++entries;
  CHECK(entries == 1);
}

TEST_CASE("a write into a missing directory fails with the path named") {
  test::TempDir dir;
  CHECK_THROWS_WITH_AS(write_file_atomically(dir / "missing" / "x.json", "x"), doctest::Contains("missing"),
                       Error);
}
