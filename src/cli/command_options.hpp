// One typed options struct per command, filled once by the parser (command_line.cpp) from
// the command table's options. Defaults here are the documented ones; environment
// defaults (PROVISION_STATE, PROVISION_STATE_NAME, ALIBABA_CLOUD_*) are applied where the
// value is used, since a given option and an inherited variable are told apart there.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cli/context.hpp"
#include "engine/plan.hpp"
#include "engine/runner.hpp"

namespace provision::cli {

// --help, --output, --no-color: every command takes them.
struct CommonOptions {
  bool help = false;
  OutputFormat format = OutputFormat::kText;
  bool no_color = false;
};

// --state, --state-name, --lock-timeout.
struct StateOptions {
  std::optional<std::string> location;  // --state; unset: $PROVISION_STATE, else the default file
  std::optional<std::string> name;      // --state-name; unset: $PROVISION_STATE_NAME, else "default"
  std::chrono::milliseconds lock_timeout{0};
};

// --endpoint … --max-attempts. Numbers are checked by the parser; endpoints and the CA
// file when a session is built (api_options.hpp), as only then are they used.
struct ApiOptions {
  std::optional<std::string> endpoint;
  std::optional<std::string> endpoint_type;
  std::optional<std::string> sts_endpoint;
  std::optional<std::string> ca_file;
  std::optional<std::string> profile;
  std::chrono::milliseconds request_timeout{120'000};  // 1 s to 24 h
  int max_attempts = 4;                                // 1 to 20
  std::optional<std::size_t> parallelism;  // apply/destroy --parallelism: sizes the connection pool
};

// --refresh, --prune, --allow-replace, --adopt.
struct PlanningOptions {
  bool refresh = false;
  engine::PlanOptions plan;
};

struct ValidateOptions {
  std::vector<std::string> paths;
};

// PATHs, the state and the API: what plan, apply, destroy and status share.
struct LocatedOptions {
  std::vector<std::string> paths;
  StateOptions state;
  ApiOptions api;
};

struct PlanCommandOptions : LocatedOptions {
  PlanningOptions planning;
  bool detailed_exitcode = false;
  std::optional<std::string> out;
};

struct ApplyOptions : LocatedOptions {
  PlanningOptions planning;
  engine::RunOptions run;
  bool dry_run = false;
  bool auto_approve = false;
  std::optional<std::string> plan_file;  // --plan FILE
};

struct DestroyOptions : LocatedOptions {
  engine::RunOptions run;
  bool auto_approve = false;
};

struct StatusOptions : LocatedOptions {};

struct StateCommandOptions {
  std::vector<std::string> words;  // subcommand and its arguments: "show", NAME
  StateOptions state;
  ApiOptions api;
  bool no_verify = false;
  std::optional<std::string> workspace_id;
  std::optional<std::string> region_id;
  std::optional<std::string> spec_file;
  std::optional<std::string> to;
  std::optional<std::string> from;
};

struct ShowOptions {
  std::vector<std::string> files;
};

struct RenderOptions {
  std::vector<std::string> paths;
  std::optional<std::string> to;
  std::optional<std::string> namespace_name;
  std::optional<std::string> image;
};

struct VersionOptions {
  std::vector<std::string> ignored;  // extra words, accepted as they always were
};

struct CompletionOptions {
  std::vector<std::string> shells;
};

using CommandOptions =
    std::variant<ValidateOptions, PlanCommandOptions, ApplyOptions, DestroyOptions, StatusOptions,
                 StateCommandOptions, ShowOptions, RenderOptions, VersionOptions, CompletionOptions>;

// A parsed `provision <command> ...`.
struct Invocation {
  std::string command;
  CommonOptions common;
  CommandOptions options;
};

}  // namespace provision::cli
