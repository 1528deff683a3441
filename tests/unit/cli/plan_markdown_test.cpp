// The pull-request comment: counts, a table of what changes, the diff folded away.
#include "cli/plan_markdown.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

using namespace provision;
using namespace provision::engine;

TEST_CASE("markdown plan: heading with counts, table of changes, diff in <details>") {
  Plan plan;
  PlannedAction update;
  update.kind = ActionKind::kUpdate;
  update.identity = {"cn-hangzhou", "w-1", "beta"};
  update.cluster_id = "ray-b";
  update.diff = {{"/workerSpec/0/replica", "2", "3"}, {"/gftConfig/redisPassword", "\"***\"", "\"***\""}};
  PlannedAction same;
  same.kind = ActionKind::kNoChange;
  same.identity = {"cn-hangzhou", "w-1", "gamma"};
  plan.actions = {update, same};
  CHECK(cli::plan_markdown(plan, "specs") ==
        "### provision plan: specs\n\n"
        "**0 to create, 1 to update, 0 to delete, 1 unchanged.**\n\n"
        "| | Action | Cluster | Workspace | Region | Cluster id | Fields |\n"
        "|---|---|---|---|---|---|---|\n"
        "| ~ | update | beta | w-1 | cn-hangzhou | ray-b | 2 |\n"
        "\n<details><summary>Field diff</summary>\n\n"
        "```diff\n"
        "~ update beta (workspace w-1, region cn-hangzhou) [ray-b]\n"
        "-     /workerSpec/0/replica: 2\n"
        "+     /workerSpec/0/replica: 3\n"
        "-     /gftConfig/redisPassword: \"***\"\n"
        "+     /gftConfig/redisPassword: \"***\"\n"
        "```\n\n</details>\n");
}

TEST_CASE("markdown plan without changes says so and has no table") {
  Plan plan;
  PlannedAction same;
  same.kind = ActionKind::kNoChange;
  plan.actions = {same};
  CHECK(cli::plan_markdown(plan, "") ==
        "### provision plan\n\n**0 to create, 0 to update, 0 to delete, 1 unchanged.**\n\n"
        "No changes: the clusters match the specs.\n");
}

TEST_CASE("markdown cells and code fences cannot be broken out of") {
  const std::vector<std::pair<std::string, std::string>> cells = {{"plain", "plain"},
                                                                  {"a|b", "a\\|b"},
                                                                  {"`x`", "\\`x\\`"},
                                                                  {"<script>", "&lt;script&gt;"},
                                                                  {"a\nb", "a b"}};
  for (const auto& [in, out] : cells) CHECK(cli::markdown_cell(in) == out);
  Plan plan;
  PlannedAction update;
  update.kind = ActionKind::kUpdate;
  update.identity = {"r", "w", "n"};
  update.diff = {{"/description", "\"a ``` b\"", "\"c ```` d\""}};
  plan.actions = {update};
  const std::string md = cli::plan_markdown(plan, "");
  CHECK(md.find("`````diff\n") != std::string::npos);
  CHECK(md.find("\n`````\n") != std::string::npos);
}

TEST_CASE("markdown plan: a create lists every field of its redacted body as added") {
  Plan plan;
  PlannedAction create;
  create.kind = ActionKind::kCreate;
  create.identity = {"r", "w", "n"};
  DesiredCluster d;
  d.redacted_body = boost::json::parse(R"({"name":"n","gftConfig":{"redisPassword":"***"}})").as_object();
  create.desired = d;
  plan.actions = {create};
  const std::string md = cli::plan_markdown(plan, "");
  INFO(md);
  CHECK(md.find("| + | create | n | w | r |  | 2 |") != std::string::npos);
  CHECK(md.find("\n+ create n (workspace w, region r)\n+     /name: \"n\"\n+     /gftConfig/redisPassword: "
                "\"***\"\n```") != std::string::npos);
}
