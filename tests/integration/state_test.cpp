// `provision state ...` and state-file safety through the real binary: list, show,
// rm, import; corrupt and future-version files refused and left untouched; the
// lock held by another process named in the error.
#include <doctest/doctest.h>

#include <filesystem>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

using namespace provision::test;

namespace {

provision::test::RunResult provision_in(const TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), PROVISION_BINARY);
  RunOptions options;
  options.cwd = dir.path().string();
  return run(args, options);
}

}  // namespace

TEST_CASE("state import, list, show and rm") {
  TempDir dir;
  auto empty = provision_in(dir, {"state", "list"});
  CHECK(empty.exit_code == 0);
  CHECK(empty.out.find("No clusters") != std::string::npos);

  auto imported = provision_in(dir, {"state", "import", "dev", "ray-abc", "--workspace-id", "w-1",
                                     "--region-id", "cn-hangzhou", "--no-verify"});
  CHECK(imported.exit_code == 0);
  CHECK(std::filesystem::exists(dir / ".provision/state.json"));
  auto again = provision_in(dir, {"state", "import", "dev", "ray-abc", "--workspace-id", "w-1", "--region-id",
                                  "cn-hangzhou", "--no-verify"});
  CHECK(again.exit_code == 3);
  CHECK(again.err.find("already in the state") != std::string::npos);

  auto listed = provision_in(dir, {"state", "list", "--output", "json"});
  CHECK(listed.exit_code == 0);
  CHECK(listed.out.find("\"clusterId\":\"ray-abc\"") != std::string::npos);
  auto shown = provision_in(dir, {"state", "show", "dev"});
  CHECK(shown.exit_code == 0);
  CHECK(shown.out.find("phase        created") != std::string::npos);
  CHECK(provision_in(dir, {"state", "show", "nope"}).exit_code == 3);

  auto removed = provision_in(dir, {"state", "rm", "dev"});
  CHECK(removed.exit_code == 0);
  CHECK(removed.out.find("not touched") != std::string::npos);
  CHECK(provision_in(dir, {"state", "list"}).out.find("No clusters") != std::string::npos);
  CHECK(std::filesystem::exists(dir / ".provision/state.json.journal"));  // rm appended a batch
  CHECK(provision_in(dir, {"state", "frobnicate"}).exit_code == 3);
}

TEST_CASE("corrupt and future-version state files are refused, exit 8, and left untouched") {
  TempDir dir;
  REQUIRE(provision_in(dir, {"state", "import", "dev", "ray-abc", "--workspace-id", "w-1", "--region-id", "r",
                             "--no-verify"})
              .exit_code == 0);
  const std::string good = read_file(dir / ".provision/state.json");
  const std::string truncated = good.substr(0, good.size() / 2);
  dir.write(".provision/state.json", truncated);
  for (const auto& command :
       std::vector<std::vector<std::string>>{{"state", "list"}, {"state", "rm", "dev"}}) {
    auto r = provision_in(dir, command);
    CHECK(r.exit_code == 8);
    CHECK(r.err.find("state file '.provision/state.json' cannot be used") != std::string::npos);
    CHECK(r.err.find("left untouched") != std::string::npos);
    CHECK(read_file(dir / ".provision/state.json") == truncated);
  }
  dir.write("future.json", "{\"formatVersion\": 7, \"serial\": 1}\n");
  auto future = provision_in(dir, {"state", "list", "--state", "future.json"});
  CHECK(future.exit_code == 8);
  CHECK(future.err.find("format version 7") != std::string::npos);
  CHECK(read_file(dir / "future.json") == "{\"formatVersion\": 7, \"serial\": 1}\n");
}

TEST_CASE("a state lock held by another process is named, and --lock-timeout waits") {
  TempDir dir;
  if (!std::filesystem::exists("/usr/bin/flock"))
    return;  // util-linux flock(1) locks the shell's descriptor, which the exec'd sleep keeps: killing it
             // frees the lock
  dir.write(".provision/state.json.lock",
            "{\"pid\":4242,\"host\":\"ci-host\",\"command\":\"provision "
            "apply\",\"since\":\"2026-11-26T07:00:00Z\"}\n");
  RunOptions options;
  options.cwd = dir.path().string();
  BackgroundProcess holder(
      {"/bin/sh", "-c", "exec 9>>.provision/state.json.lock; /usr/bin/flock 9 && echo held && exec sleep 30"},
      options);
  holder.wait_for_output("held");
  auto r = provision_in(
      dir, {"state", "import", "a", "ray-1", "--workspace-id", "w", "--region-id", "r", "--no-verify"});
  CHECK(r.exit_code == 9);
  CHECK(r.err.find("state is locked by pid 4242 on ci-host (provision apply, since 2026-11-26T07:00:00Z)") !=
        std::string::npos);
  auto waited = provision_in(dir, {"state", "rm", "a", "--lock-timeout", "300ms"});
  CHECK(waited.exit_code == 9);
  CHECK(waited.err.find("still locked after waiting 300ms") != std::string::npos);
  holder.stop(9);
  auto after = provision_in(
      dir, {"state", "import", "a", "ray-1", "--workspace-id", "w", "--region-id", "r", "--no-verify"});
  CHECK(after.exit_code == 0);
}
