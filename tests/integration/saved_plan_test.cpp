// Saved plans as GitOps uses them: `plan --out` in one fresh working copy (the pull
// request), `apply --plan` in another (the merge) against the same state, with the real
// binaries and the emulator. A stale or changed plan is refused and nothing is sent.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "plan_schema_check.hpp"
#include "provision_fixture.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using namespace provision::test;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

const std::string kRedisPassword = "Sekr3t-Plan-Pw-5e21c9d7";

// One cluster whose gftConfig password comes from ${REDIS_PASSWORD}.
std::string gft_spec(const std::string& name, int replica) {
  return "apiVersion: provision/v1\nkind: RayCluster\nmetadata: {name: " + name +
         ", workspaceId: w-it, regionId: cn-hangzhou}\nspec:\n"
         "  displayReleaseVersion: \"ray-1.0.0 (Ray 2.47.1, Python 3.12)\"\n"
         "  workerSpec:\n    - {groupName: g1, workerType: CPU, replica: " +
         std::to_string(replica) +
         ", queueName: root_queue, cpu: 4, memory: 16Gi}\n"
         "  headSpec:\n    queueName: root_queue\n    cpu: 2\n    memory: 8Gi\n    gftEnabled: true\n"
         "    gftConfig:\n      redisUrl: \"10.0.0.1:6379\"\n      redisPassword: \"${REDIS_PASSWORD}\"\n";
}

// The emulator plus working copies that share one state file outside all of them, as CI
// jobs share the team's state.
class GitOpsFlow {
 public:
  GitOpsFlow() : state_((cloud_.dir() / "team-state.json").string()) {}

  // A fresh "clone": the specs given, nothing else.
  std::unique_ptr<TempDir> clone(const std::vector<std::pair<std::string, std::string>>& specs) const {
    auto copy = std::make_unique<TempDir>();
    for (const auto& [file, text] : specs) copy->write(file, text);
    return copy;
  }

  // provision in `copy`, with the endpoint for commands that talk to the API.
  RunResult run_in(const TempDir& copy, std::vector<std::string> args,
                   const std::string& password = kRedisPassword) const {
    std::vector<std::string> argv{PROVISION_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    if (args.front() == "plan" || args.front() == "apply")
      for (const auto& a : cloud_.endpoint_args()) argv.push_back(a);
    RunOptions o = cloud_.options();
    o.cwd = copy.path().string();
    o.env["PROVISION_STATE"] = state_;
    o.env["REDIS_PASSWORD"] = password;
    return run(argv, o);
  }

  // The plan file made in `from`, handed to `to` (a CI artifact).
  void hand_over(const TempDir& from, const TempDir& to, const std::string& file = "plan.json") const {
    to.write(file, read_file(from / file));
  }

  const EmulatedCloud& cloud() const { return cloud_; }

 private:
  EmulatedCloud cloud_;
  std::string state_;
};

void require_refused(const RunResult& r, const std::string& reason) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("was not applied; nothing was sent") != std::string::npos);
  CHECK(r.err.find(reason) != std::string::npos);
}

}  // namespace

TEST_CASE("a plan saved in one working copy is applied exactly, once, in another") {
  GitOpsFlow flow;
  auto pr =
      flow.clone({{"specs/alpha.yaml", gft_spec("alpha", 1)}, {"specs/beta.yaml", gft_spec("beta", 1)}});
  auto plan = flow.run_in(*pr, {"plan", "specs", "--out", "plan.json"});
  INFO(plan.out << plan.err);
  REQUIRE(plan.exit_code == 0);  // changes, yet 0: Atlantis stops on any other code
  CHECK(plan.out.find("Saved the plan to plan.json") != std::string::npos);
  const std::string saved = read_file(*pr / "plan.json");
  CHECK(saved.find(kRedisPassword) == std::string::npos);
  CHECK(saved.find("Plan-Pw") == std::string::npos);
  CHECK(saved.find("\"redisPassword\": \"***\"") != std::string::npos);
  // Not even as a hash of the value alone (a guessable secret would fall to a dictionary).
  RunOptions hash_input;
  hash_input.stdin_data = kRedisPassword;
  const std::string secret_hash = run({"/usr/bin/sha256sum"}, hash_input).out.substr(0, 64);
  REQUIRE(secret_hash.size() == 64);
  CHECK(saved.find(secret_hash) == std::string::npos);
  for (const char* format : {"text", "json", "markdown"}) {
    auto shown = flow.run_in(*pr, {"show", "plan.json", "--output", format});
    CHECK(shown.exit_code == 0);
    CHECK(shown.out.find(kRedisPassword) == std::string::npos);
    CHECK(shown.out.find(secret_hash) == std::string::npos);
  }
  require_valid_plan_document(saved);

  auto merged =
      flow.clone({{"specs/alpha.yaml", gft_spec("alpha", 1)}, {"specs/beta.yaml", gft_spec("beta", 1)}});
  flow.hand_over(*pr, *merged);
  const std::size_t before = flow.cloud().requests();
  auto apply = flow.run_in(*merged, {"apply", "--plan", "plan.json", "--no-wait"});  // no --auto-approve
  INFO(apply.out << apply.err);
  CHECK(apply.exit_code == 0);
  CHECK(flow.cloud().requests("CreateRayCluster") == 2);
  CHECK(flow.cloud().requests("ListRayCluster") == 1);  // the plan's listing only: apply --plan lists nothing
  CHECK(flow.cloud().requests() > before);
  CHECK(flow.run_in(*merged, {"plan", "specs", "--detailed-exitcode"}).exit_code == 0);

  // The same plan again: the state moved on, so it is stale and nothing is sent.
  const std::size_t after_apply = flow.cloud().requests();
  require_refused(flow.run_in(*merged, {"apply", "--plan", "plan.json"}),
                  "stale plan: the state changed since it was made; plan again");
  CHECK(flow.cloud().requests() == after_apply);
}

TEST_CASE("a plan whose state changed after it was made is refused: stale") {
  GitOpsFlow flow;
  auto first = flow.clone({{"specs/alpha.yaml", gft_spec("alpha", 1)}});
  auto second = flow.clone({{"specs/alpha.yaml", gft_spec("alpha", 1)}});
  REQUIRE(flow.run_in(*first, {"plan", "specs", "--out", "plan.json"}).exit_code == 0);
  REQUIRE(flow.run_in(*second, {"plan", "specs", "--out", "plan.json"}).exit_code == 0);
  // Two pull requests planned from the same state; the first to merge wins.
  REQUIRE(flow.run_in(*second, {"apply", "--plan", "plan.json", "--no-wait"}).exit_code == 0);
  const std::size_t sent = flow.cloud().requests();
  require_refused(flow.run_in(*first, {"apply", "--plan", "plan.json", "--no-wait"}),
                  "stale plan: the state changed since it was made; plan again (serial");
  CHECK(flow.cloud().requests() == sent);
  CHECK(flow.cloud().requests("CreateRayCluster") == 1);
}

TEST_CASE("a plan whose specs changed after it was made is refused, naming the change") {
  GitOpsFlow flow;
  auto pr = flow.clone({{"specs/alpha.yaml", gft_spec("alpha", 1)}});
  REQUIRE(flow.run_in(*pr, {"plan", "specs", "--out", "plan.json"}).exit_code == 0);
  const std::size_t sent = flow.cloud().requests();

  SUBCASE("a field") {
    auto merged = flow.clone({{"specs/alpha.yaml", gft_spec("alpha", 3)}});
    flow.hand_over(*pr, *merged);
    require_refused(flow.run_in(*merged, {"apply", "--plan", "plan.json"}),
                    "the body of cluster alpha (workspace w-it, region cn-hangzhou) differs from the plan's");
  }
  SUBCASE("a secret, through ${VAR}: hashed with the body, never shown") {
    auto merged = flow.clone({{"specs/alpha.yaml", gft_spec("alpha", 1)}});
    flow.hand_over(*pr, *merged);
    auto r = flow.run_in(*merged, {"apply", "--plan", "plan.json"}, "another-Sekr3t-value");
    require_refused(r, "the body of cluster alpha");
    CHECK(r.err.find("Sekr3t") == std::string::npos);
  }
  SUBCASE("a spec file added") {
    auto merged =
        flow.clone({{"specs/alpha.yaml", gft_spec("alpha", 1)}, {"specs/beta.yaml", gft_spec("beta", 1)}});
    flow.hand_over(*pr, *merged);
    auto r = flow.run_in(*merged, {"apply", "--plan", "plan.json"});
    require_refused(r, "spec file specs/beta.yaml was added since the plan was made");
    CHECK(r.err.find("cluster beta (workspace w-it, region cn-hangzhou) is not in the plan") !=
          std::string::npos);
  }
  SUBCASE("a spec file removed") {
    auto merged = flow.clone({{"specs/other.yaml", gft_spec("alpha", 1)}});
    flow.hand_over(*pr, *merged);
    auto r = flow.run_in(*merged, {"apply", "--plan", "plan.json"});
    require_refused(r, "spec file specs/alpha.yaml was removed since the plan was made");
  }
  SUBCASE("a comment only: applied, with a note") {
    auto merged = flow.clone({{"specs/alpha.yaml", "# reviewed\n" + gft_spec("alpha", 1)}});
    flow.hand_over(*pr, *merged);
    auto r = flow.run_in(*merged, {"apply", "--plan", "plan.json", "--no-wait"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("changed since the plan was made, but its bodies did not") != std::string::npos);
    CHECK(flow.cloud().requests("CreateRayCluster") == 1);
    return;
  }
  CHECK(flow.cloud().requests() == sent);
}

TEST_CASE("plans of another format or version are refused, and apply --plan takes no PATH or plan options") {
  GitOpsFlow flow;
  auto pr = flow.clone({{"specs/alpha.yaml", gft_spec("alpha", 1)}});
  REQUIRE(flow.run_in(*pr, {"plan", "specs", "--out", "plan.json"}).exit_code == 0);
  json::value doc = json::parse(read_file(*pr / "plan.json"));
  const std::size_t sent = flow.cloud().requests();

  doc.as_object()["provision_version"] = "0.0.1-elsewhere";
  pr->write("old.json", json::serialize(doc));
  require_refused(flow.run_in(*pr, {"apply", "--plan", "old.json"}),
                  "the plan was made by provision 0.0.1-elsewhere");

  doc.as_object()["format_version"] = 99;
  pr->write("future.json", json::serialize(doc));
  auto future = flow.run_in(*pr, {"apply", "--plan", "future.json"});
  CHECK(future.exit_code == 3);
  CHECK(future.err.find("unknown format_version 99") != std::string::npos);
  CHECK(flow.run_in(*pr, {"show", "future.json"}).exit_code == 3);

  CHECK(flow.run_in(*pr, {"apply", "--plan", "plan.json", "specs"}).exit_code == 3);
  CHECK(flow.run_in(*pr, {"apply", "--plan", "plan.json", "--prune"}).exit_code == 3);
  CHECK(flow.run_in(*pr, {"apply", "--plan", "plan.json", "--dry-run"}).exit_code == 3);
  CHECK(flow.run_in(*pr, {"apply", "--plan", "missing.json"}).exit_code == 3);
  CHECK(flow.cloud().requests() == sent);
  // Standard input cannot be read again by apply --plan, so it cannot be saved.
  CHECK(flow.run_in(*pr, {"plan", "-", "--out", "stdin.json"}).exit_code == 3);
}

TEST_CASE("plan --output json, the plan file and show --output json are one schema-valid document") {
  GitOpsFlow flow;
  auto pr =
      flow.clone({{"specs/alpha.yaml", gft_spec("alpha", 1)}, {"specs/beta.yaml", gft_spec("beta", 2)}});
  REQUIRE(flow.run_in(*pr, {"apply", "specs/beta.yaml", "--auto-approve", "--no-wait"}).exit_code == 0);
  pr->write("specs/beta.yaml", gft_spec("beta", 4));
  auto printed = flow.run_in(*pr, {"plan", "specs", "--output", "json", "--out", "plan.json"});
  INFO(printed.out << printed.err);
  REQUIRE(printed.exit_code == 0);
  require_valid_plan_document(printed.out);
  const json::value document = json::parse(printed.out);
  CHECK(document == json::parse(read_file(*pr / "plan.json")));
  auto shown = flow.run_in(*pr, {"show", "plan.json", "--output", "json"});
  REQUIRE(shown.exit_code == 0);
  require_valid_plan_document(shown.out);
  CHECK(json::parse(shown.out) == document);

  const json::object& o = document.as_object();
  CHECK(o.at("summary").at("create") == 1);
  CHECK(o.at("summary").at("update") == 1);
  const json::array& actions = o.at("actions").as_array();
  REQUIRE(actions.size() == 2);
  const json::value& update = actions[1];
  CHECK(update.at("action") == "update");
  CHECK(update.at("clusterId").as_string().size() > 0);
  CHECK(update.at("changes") == json::parse(R"([{"pointer":"/workerSpec/0/replica","before":2,"after":4}])"));
  CHECK(printed.out.find(kRedisPassword) == std::string::npos);

  auto text = flow.run_in(*pr, {"show", "plan.json"});
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("  + create  alpha (workspace w-it, region cn-hangzhou)") != std::string::npos);
  CHECK(text.out.find("      /workerSpec/0/replica: 2 -> 4") != std::string::npos);
  CHECK(text.out.find("Plan: 1 to create, 1 to update, 0 to delete, 0 unchanged.") != std::string::npos);
}

TEST_CASE("plan --output markdown: a pull-request comment with the diff folded") {
  GitOpsFlow flow;
  auto pr = flow.clone({{"specs/alpha.yaml", gft_spec("alpha", 1)}});
  auto md = flow.run_in(*pr, {"plan", "specs", "--output", "markdown"});
  INFO(md.out << md.err);
  CHECK(md.exit_code == 0);
  CHECK(md.out.find("### provision plan") == 0);
  CHECK(md.out.find("| + | create | alpha | w-it | cn-hangzhou |") != std::string::npos);
  CHECK(md.out.find("<details><summary>Field diff</summary>") != std::string::npos);
  CHECK(md.out.find(kRedisPassword) == std::string::npos);
  CHECK(flow.run_in(*pr, {"validate", "specs", "--output", "markdown"}).exit_code == 3);
}

TEST_CASE("the schema check can fail: undocumented keys, wrong types and unknown formats are caught") {
  GitOpsFlow flow;
  auto pr = flow.clone({{"specs/alpha.yaml", gft_spec("alpha", 1)}});
  auto printed = flow.run_in(*pr, {"plan", "specs", "--output", "json"});
  REQUIRE(printed.exit_code == 0);
  CHECK(plan_schema_errors(printed.out).empty());
  const json::value good = json::parse(printed.out);
  const std::vector<std::pair<const char*, std::function<void(json::object&)>>> damages = {
      {"undocumented key", [](json::object& d) { d["extra"] = 1; }},
      {"format 2", [](json::object& d) { d["format_version"] = 2; }},
      {"serial as text", [](json::object& d) { d["state"].as_object()["serial"] = "0"; }},
      {"unknown action", [](json::object& d) { d["actions"].as_array()[0].as_object()["action"] = "nuke"; }},
      {"short hash", [](json::object& d) { d["schema_sha256"] = "abc"; }},
  };
  for (const auto& [what, damage] : damages) {
    CAPTURE(what);
    json::value doc = good;
    damage(doc.as_object());
    CHECK_FALSE(plan_schema_errors(json::serialize(doc)).empty());
  }
}
