#include "emulator/fault_injector.hpp"

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "handler_harness.hpp"
#include "support/temp_dir.hpp"

using namespace provision;
using namespace provision::emulator;
using namespace provision::emulator::test;

namespace {

std::vector<FaultKind> sequence(std::uint64_t seed, double rate, int n) {
  FaultInjector injector({rate, all_fault_kinds(), seed});
  std::vector<FaultKind> out;
  for (int i = 0; i < n; ++i) out.push_back(injector.draw());
  return out;
}

HandlerSettings only(FaultKind kind) {
  HandlerSettings s = fast_settings();
  s.faults = {1.0, {kind}, 1};
  s.slow_delay = std::chrono::milliseconds(1234);
  return s;
}

}  // namespace

TEST_CASE("the same seed gives the same faults, another seed other faults") {
  auto a = sequence(7, 0.3, 200);
  CHECK(a == sequence(7, 0.3, 200));
  CHECK(a != sequence(8, 0.3, 200));
  auto faults = std::count_if(a.begin(), a.end(), [](FaultKind k) { return k != FaultKind::kNone; });
  CHECK(faults > 30);  // about 60 expected; both bounds are > 5 sigma away
  CHECK(faults < 90);
  for (FaultKind k : all_fault_kinds()) CHECK(std::count(a.begin(), a.end(), k) > 0);
  auto none = sequence(7, 0.0, 100);
  CHECK(std::count(none.begin(), none.end(), FaultKind::kNone) == 100);
}

TEST_CASE("fault lists parse by name") {
  CHECK(parse_fault_list("reset,slow") == std::vector<FaultKind>{FaultKind::kReset, FaultKind::kSlow});
  CHECK(parse_fault_list("internal-error,unavailable,throttle,drop-after-commit").size() == 4);
  CHECK_THROWS_WITH_AS(parse_fault_list("reset,explode"), doctest::Contains("unknown fault 'explode'"),
                       Error);
  CHECK_THROWS_AS(parse_fault_list(""), Error);
}

TEST_CASE("internal-error, unavailable and throttle answer without doing the operation") {
  struct Case {
    FaultKind kind;
    int status;
    std::string code;
  };
  for (const Case& c : {Case{FaultKind::kInternalError, 500, "InternalError"},
                        Case{FaultKind::kUnavailable, 503, "ServiceUnavailable"},
                        Case{FaultKind::kThrottle, 400, "Throttling"}}) {
    Harness h(only(c.kind));
    auto r = h.call("POST", kBase, "CreateRayCluster", minimal_body());
    CHECK(r.status == c.status);
    CHECK(code_of(r) == c.code);
    CHECK(r.fault == fault_name(c.kind));
    CHECK(r.disposition == Disposition::kRespond);
    CHECK(h.store.size() == 0);
    if (c.kind == FaultKind::kThrottle)
      CHECK(header_of(r, "x-ratelimit-user-api").find("Remain:0,TimeLeft:") != std::string::npos);
  }
}

TEST_CASE("reset closes before the operation, drop-after-commit and slow do it and persist") {
  provision::test::TempDir dir;
  {
    Harness h(only(FaultKind::kReset), dir / "clusters.json");
    auto r = h.call("POST", kBase, "CreateRayCluster", minimal_body());
    CHECK(r.disposition == Disposition::kReset);
    CHECK(h.store.size() == 0);
    CHECK_FALSE(std::filesystem::exists(dir / "clusters.json"));
  }
  {
    Harness h(only(FaultKind::kDropAfterCommit), dir / "clusters.json");
    auto r = h.call("POST", kBase, "CreateRayCluster", minimal_body());
    CHECK(r.disposition == Disposition::kDropAfterCommit);
    CHECK(r.fault == "drop-after-commit");
    CHECK(h.store.size() == 1);
    ClusterStore reloaded(dir / "clusters.json");
    reloaded.load();
    CHECK(reloaded.size() == 1);
  }
  {
    Harness h(only(FaultKind::kSlow), dir / "slow.json");
    auto r = h.call("POST", kBase, "CreateRayCluster", minimal_body());
    CHECK(r.disposition == Disposition::kRespondLate);
    CHECK(r.delay == std::chrono::milliseconds(1234));
    CHECK(r.status == 200);
    CHECK(h.store.size() == 1);
  }
}

TEST_CASE("faults never hide authentication errors") {
  Harness h(only(FaultKind::kInternalError));
  auto parts = h.request("GET", kBase, "ListRayCluster");
  auto r = h.send(parts);  // unsigned
  CHECK(code_of(r) == "IncompleteSignature");
  CHECK(r.fault.empty());
}

TEST_CASE("the handler's faults follow the seed") {
  auto run = [](std::uint64_t seed) {
    HandlerSettings s = fast_settings();
    s.faults = {0.5, all_fault_kinds(), seed};
    Harness h(s);
    std::vector<std::string> faults;
    for (int i = 0; i < 40; ++i) faults.push_back(h.call("GET", kBase, "ListRayCluster").fault);
    return faults;
  };
  CHECK(run(3) == run(3));
  CHECK(run(3) != run(4));
}
