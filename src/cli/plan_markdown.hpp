// The plan as a pull-request comment: a heading with the counts, a table of the clusters
// that change, and the field diff in a collapsible <details> block.
#pragma once

#include <string>

#include "engine/plan.hpp"

namespace provision::cli {

// GitHub/GitLab-flavoured Markdown. `title` names the plan ("specs/prod"); may be empty.
std::string plan_markdown(const engine::Plan& plan, const std::string& title);

// `text` safe inside a Markdown table cell (|, `, <, > and newlines escaped).
std::string markdown_cell(const std::string& text);

}  // namespace provision::cli
