// The command line: typed values from flags, usage errors (exit 3) with their messages,
// "did you mean", and the parser against the command table the generators read.
#include "cli/command_line.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <sstream>

#include "cli/app.hpp"
#include "cli/state_options.hpp"
#include "core/error.hpp"

using namespace provision;
using namespace provision::cli;
using namespace std::chrono_literals;

namespace {

const Command& command_named(const std::string& name) {
  for (const auto& c : all_commands())
    if (c.name == name) return c;
  FAIL("no command " << name);
  throw std::logic_error("unreachable");
}

Invocation parse(const std::vector<std::string>& words) {
  return parse_command_line(command_named(words.at(0)), {words.begin() + 1, words.end()});
}

// `provision WORDS...` run in-process: exit code and standard error.
struct Outcome {
  int code;
  std::string err;
};
Outcome run_words(const std::vector<std::string>& words) {
  std::ostringstream out, err;
  std::istringstream in;
  Context ctx{out, err, in};
  const int code = run_app(words, ctx);
  return {code, err.str()};
}

}  // namespace

TEST_CASE("flags and values become typed options") {
  struct Row {
    std::vector<std::string> words;
    std::function<bool(const Invocation&)> holds;
  };
  const auto apply = [](const Invocation& i) { return std::get<ApplyOptions>(i.options); };
  const std::vector<Row> rows = {
      {{"apply", "specs"}, [&](auto& i) { return apply(i).run.parallelism == 10 && apply(i).run.wait; }},
      {{"apply", "--parallelism", "3", "specs"}, [&](auto& i) { return apply(i).run.parallelism == 3; }},
      {{"apply", "--parallelism=3", "specs"}, [&](auto& i) { return apply(i).run.parallelism == 3; }},
      {{"apply", "--parallelism", "3", "specs"}, [&](auto& i) { return apply(i).api.parallelism == 3u; }},
      {{"apply", "--parallelism=2", "--parallelism", "5"},
       [&](auto& i) { return apply(i).run.parallelism == 5; }},
      {{"apply", "--timeout", "1.5s"}, [&](auto& i) { return apply(i).run.timeout == 1500ms; }},
      {{"apply", "--timeout=10m"}, [&](auto& i) { return apply(i).run.timeout == 600'000ms; }},
      {{"apply", "--no-wait"}, [&](auto& i) { return !apply(i).run.wait; }},
      {{"apply", "--prune", "--adopt"},
       [&](auto& i) { return apply(i).planning.plan.prune && apply(i).planning.plan.adopt; }},
      {{"apply", "--plan", "p.json"}, [&](auto& i) { return apply(i).plan_file == "p.json"; }},
      {{"apply", "--dry-run", "--auto-approve", "a", "-", "b"},
       [&](auto& i) {
         return apply(i).dry_run && apply(i).auto_approve &&
                apply(i).paths == std::vector<std::string>{"a", "-", "b"};
       }},
      {{"apply", "--", "--prune"},
       [&](auto& i) {
         return !apply(i).planning.plan.prune && apply(i).paths == std::vector<std::string>{"--prune"};
       }},
      {{"apply", "--state", "s.json", "--lock-timeout", "2s"},
       [&](auto& i) { return apply(i).state.location == "s.json" && apply(i).state.lock_timeout == 2000ms; }},
      {{"apply", "--request-timeout", "2m", "--max-attempts=2"},
       [&](auto& i) { return apply(i).api.request_timeout == 120'000ms && apply(i).api.max_attempts == 2; }},
      {{"apply", "--endpoint=127.0.0.1:8443"},
       [&](auto& i) { return apply(i).api.endpoint == "127.0.0.1:8443"; }},
      {{"destroy", "--parallelism", "4", "x"},
       [](auto& i) { return std::get<DestroyOptions>(i.options).run.parallelism == 4; }},
      {{"plan", "--detailed-exitcode", "--out", "p.json", "--refresh", "x"},
       [](auto& i) {
         const auto& o = std::get<PlanCommandOptions>(i.options);
         return o.detailed_exitcode && o.out == "p.json" && o.planning.refresh && o.paths.size() == 1;
       }},
      {{"plan", "--output", "markdown"}, [](auto& i) { return i.common.format == OutputFormat::kMarkdown; }},
      {{"status", "--output=json", "--no-color"},
       [](auto& i) { return i.common.format == OutputFormat::kJson && i.common.no_color; }},
      {{"state", "import", "n", "ray-1", "--workspace-id", "w", "--no-verify"},
       [](auto& i) {
         const auto& o = std::get<StateCommandOptions>(i.options);
         return o.words.size() == 3 && o.workspace_id == "w" && o.no_verify && !o.region_id;
       }},
      {{"render", "--to", "kuberay", "--namespace=ns", "x"},
       [](auto& i) {
         const auto& o = std::get<RenderOptions>(i.options);
         return o.to == "kuberay" && o.namespace_name == "ns" && !o.image;
       }},
      {{"validate", "-h"}, [](auto& i) { return i.common.help; }},
      {{"completion", "bash"},
       [](auto& i) {
         return std::get<CompletionOptions>(i.options).shells == std::vector<std::string>{"bash"};
       }},
  };
  for (const auto& row : rows) {
    std::string words;
    for (const auto& w : row.words) words += " " + w;
    CAPTURE(words);
    CHECK(row.holds(parse(row.words)));
  }
}

TEST_CASE("usage errors exit 3 with a message naming the problem") {
  const std::vector<std::pair<std::vector<std::string>, std::string>> rows = {
      {{"apply", "--paralelism", "3", "x"}, "unknown option '--paralelism'; did you mean '--parallelism'?"},
      {{"apply", "--paralelism=3", "x"}, "unknown option '--paralelism'; did you mean '--parallelism'?"},
      {{"version", "--outptu", "json"}, "did you mean '--output'?"},
      {{"valdate", "x"}, "unknown command 'valdate'; did you mean 'validate'?"},
      {{"apply", "--parallelism", "0"}, "--parallelism expects a whole number from 1 to 1000, got '0'"},
      {{"apply", "--parallelism", "many"}, "--parallelism expects a whole number from 1 to 1000, got 'many'"},
      {{"destroy", "--timeout", "soon"}, "--timeout expects a duration such as 30, 1.5s, 500ms, 10m or 1h"},
      {{"plan", "--lock-timeout", "-1"}, "--lock-timeout"},
      {{"status", "--request-timeout", "0.5"}, "--request-timeout expects 1s to 24h, got '0.5'"},
      {{"status", "--max-attempts", "21"}, "--max-attempts expects a whole number from 1 to 20, got '21'"},
      {{"validate", "--output", "yaml", "x"}, "--output expects 'text' or 'json', got 'yaml'"},
      {{"plan", "--output", "yaml", "x"}, "--output expects 'text', 'json' or 'markdown', got 'yaml'"},
      {{"apply", "--no-wait=yes"}, "option '--no-wait' takes no value"},
      {{"plan", "--out"}, "option '--out' needs a value (FILE)"},
      {{"validate", "-x"}, "unknown option '-x'"},
      {{"state"}, "missing subcommand"},
  };
  for (const auto& [words, message] : rows) {
    std::string line;
    for (const auto& w : words) line += " " + w;
    CAPTURE(line);
    const Outcome r = run_words(words);
    CHECK(r.code == 3);
    CHECK_MESSAGE(r.err.find(message) != std::string::npos, r.err);
    CHECK(r.err.rfind("provision: error: ", 0) == 0);
  }
}

TEST_CASE("the parser takes exactly the options the command table lists") {
  for (const auto& command : all_commands()) {
    CAPTURE(command.name);
    std::vector<std::string> table;
    for (const auto& o : command.options) table.push_back(o.name);
    for (const auto& o : common_options()) table.push_back(o.name);
    std::vector<std::string> parsed = parser_option_names(command);
    std::sort(table.begin(), table.end());
    std::sort(parsed.begin(), parsed.end());
    CHECK(parsed == table);
  }
}

TEST_CASE("an option missing from the parser is an internal error, not a silent gap") {
  Command changed = command_named("validate");
  changed.options.push_back({"--extra", "", "not parsed"});
  try {
    parse_command_line(changed, {});
    FAIL("expected an Error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kInternal);
    CHECK(std::string(e.what()).find("--extra") != std::string::npos);
  }
}

TEST_CASE("state location and name: option, then environment, then default") {
  const std::map<std::string, std::string> env = {{"PROVISION_STATE", "postgresql://db/x"},
                                                  {"PROVISION_STATE_NAME", "prod"}};
  const auto from = [](const std::map<std::string, std::string>& vars) {
    return [vars](const char* name) {
      auto it = vars.find(name);
      return it == vars.end() ? std::string() : it->second;
    };
  };
  StateOptions none;
  CHECK(choose_state(none, from({})).location == ".provision/state.json");
  CHECK(choose_state(none, from({})).name == "default");
  CHECK(choose_state(none, from(env)).location == "postgresql://db/x");
  CHECK(choose_state(none, from(env)).name == "prod");
  StateOptions given;
  given.location = "s.json";
  given.name = "dev";
  CHECK(choose_state(given, from(env)).location == "s.json");
  CHECK(choose_state(given, from(env)).name == "dev");
  StateOptions empty;
  empty.location = "";
  CHECK(choose_state(empty, from({})).location == ".provision/state.json");
}
