// `apply --plan FILE`: read a saved plan and the specs it names, then, under the state
// lock, either hand back exactly the plan's actions (with their bodies derived again) or
// refuse, naming every difference, so that nothing is sent.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/command_options.hpp"
#include "cli/context.hpp"
#include "cli/saved_plan.hpp"

namespace provision::cli {

struct SavedPlanInputs {
  std::string file;
  SavedPlan saved;
  std::vector<engine::DesiredCluster> desired;  // derived from the plan's PATHs just now
  std::vector<SpecFileHash> spec_files;
};

// Reads --plan FILE and loads the specs at the plan's PATHs. Throws Error(kUsage) for PATH
// arguments or planning options (the plan fixed them), an unreadable or unknown-format file.
SavedPlanInputs read_saved_plan_inputs(const ApplyOptions& options, Context& ctx);

// The plan's actions ready to run, or nullopt after printing why the plan is refused.
// Call with the state lock held and `current` loaded under it.
std::optional<engine::Plan> saved_plan_to_run(const SavedPlanInputs& inputs,
                                              const state::StoreIdentity& store, const state::State& current,
                                              Context& ctx);

}  // namespace provision::cli
