// The plan as users and scripts read it: text lines with the field diff, and one
// JSON object per cluster plus a change_summary.
#include "cli/plan_printer.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

using namespace provision;
using namespace provision::engine;

namespace {

Plan sample_plan() {
  Plan plan;
  PlannedAction create;
  create.kind = ActionKind::kCreate;
  create.identity = {"cn-hangzhou", "w-1", "alpha"};
  create.spec_file = "specs/alpha.yaml";
  PlannedAction update;
  update.kind = ActionKind::kUpdate;
  update.identity = {"cn-hangzhou", "w-1", "beta"};
  update.cluster_id = "ray-b";
  update.diff = {{"/workerSpec/0/replica", "2", "3"}, {"/description", std::nullopt, "\"new\""}};
  PlannedAction same;
  same.kind = ActionKind::kNoChange;
  same.identity = {"cn-hangzhou", "w-1", "gamma"};
  same.cluster_id = "ray-g";
  plan.actions = {create, update, same};
  return plan;
}

}  // namespace

TEST_CASE("text plan: symbols, ids, field diff and counts") {
  std::ostringstream out, err;
  std::istringstream in;
  cli::Context ctx{out, err, in};
  cli::print_plan(sample_plan(), ctx);
  CHECK(out.str() ==
        "  + create  alpha (workspace w-1, region cn-hangzhou)  specs/alpha.yaml\n"
        "  ~ update  beta (workspace w-1, region cn-hangzhou) [ray-b]\n"
        "      /workerSpec/0/replica: 2 -> 3\n"
        "      /description: (added) \"new\"\n"
        "  = no-change  gamma (workspace w-1, region cn-hangzhou) [ray-g]\n"
        "\n"
        "Plan: 1 to create, 1 to update, 0 to delete, 1 unchanged.\n");
}

TEST_CASE("JSON plan: one planned_change per cluster, values as JSON, then change_summary") {
  std::ostringstream out, err;
  std::istringstream in;
  cli::Context ctx{out, err, in};
  ctx.format = cli::OutputFormat::kJson;
  cli::print_plan(sample_plan(), ctx);
  const std::string text = out.str();
  CHECK(text.find("{\"type\":\"planned_change\",\"action\":\"create\",\"name\":\"alpha\"") == 0);
  CHECK(text.find("{\"pointer\":\"/workerSpec/0/replica\",\"before\":2,\"after\":3}") != std::string::npos);
  CHECK(text.find("{\"pointer\":\"/description\",\"before\":null,\"after\":\"new\"}") != std::string::npos);
  CHECK(text.find("{\"type\":\"change_summary\",\"create\":1,\"update\":1,\"delete\":0") !=
        std::string::npos);
  CHECK(std::count(text.begin(), text.end(), '\n') == 4);
}
