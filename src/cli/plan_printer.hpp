// How a plan is shown: Terraform-like text (+ create, ~ update with a field diff,
// - delete, = no change, ! blocked) or one JSON object per cluster plus a summary. The JSON
// lines are the start of the apply and destroy streams; `plan --output json` prints the plan
// document of plan_json.hpp instead.
#pragma once

#include <iosfwd>
#include <string>

#include "cli/context.hpp"
#include "engine/plan.hpp"

namespace provision::cli {

// Prints every action (no-change ones too) and the "Plan: ..." line / change_summary object.
// `verb` names the command in the summary ("apply", "destroy").
void print_plan(const engine::Plan& plan, const Context& context);

// The plan symbol of an action: "+", "~", "-", "-/+", "<=", "=" or "!" (blocked).
const char* action_symbol(engine::ActionKind kind);

// "2 to create, 1 to update, 0 to delete" style counts for text output.
std::string plan_counts(const engine::Plan& plan);

}  // namespace provision::cli
