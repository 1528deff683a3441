// What `plan` prints and saves: text, the plan document (--output json), Markdown, and
// the plan file of --out. Kept apart so plan_command.cpp stays about planning.
#pragma once

#include <vector>

#include "cli/command_options.hpp"
#include "cli/context.hpp"
#include "engine/plan.hpp"
#include "state/state_store.hpp"

namespace provision::cli {

// Refuses --out for inputs that cannot be read again ("-"). Call before reading specs.
void check_plan_out(const PlanCommandOptions& options);

// Prints `plan` in the context's format and writes --out FILE (not for a blocked plan).
// `state` is the state the plan was made from.
void emit_plan(const PlanCommandOptions& options, const engine::Plan& plan,
               const std::vector<engine::DesiredCluster>& desired, const state::StoreIdentity& store,
               const state::State& state, Context& ctx);

}  // namespace provision::cli
