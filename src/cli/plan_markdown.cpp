// Markdown rendering of a plan. Values come from the plan's diff, where secrets are
// already "***"; nothing here reads a body.
#include "cli/plan_markdown.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <sstream>
#include <vector>

#include "cli/hint_text.hpp"
#include "cli/plan_printer.hpp"
#include "core/json_pointer.hpp"

namespace provision::cli {
using engine::ActionKind;
namespace {

bool shown_in_table(ActionKind k) { return k != ActionKind::kNoChange && k != ActionKind::kNotInSpecs; }

// A code fence longer than any run of backticks in `body`, so the block cannot be closed early.
std::string fence_for(const std::string& body) {
  std::size_t longest = 0, run = 0;
  for (char c : body) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

// Every leaf of `v` as an added field (arrays and objects with members are descended into).
void added_leaves(const boost::json::value& v, const std::string& pointer,
                  std::vector<engine::FieldChange>& out) {
  if (v.is_object() && !v.as_object().empty()) {
    for (const auto& [key, item] : v.as_object()) added_leaves(item, append_pointer(pointer, key), out);
  } else if (v.is_array() && !v.as_array().empty()) {
    for (std::size_t i = 0; i < v.as_array().size(); ++i)
      added_leaves(v.as_array()[i], append_pointer(pointer, i), out);
  } else {
    out.push_back({pointer, std::nullopt, boost::json::serialize(v)});
  }
}

// The changed fields; a create shows every field of its (redacted) body as added.
std::vector<engine::FieldChange> fields_of(const engine::PlannedAction& a) {
  if (a.kind != ActionKind::kCreate || !a.diff.empty() || !a.desired) return a.diff;
  std::vector<engine::FieldChange> out;
  added_leaves(a.desired->redacted_body, "", out);
  return out;
}

void diff_lines(const engine::PlannedAction& a, std::ostream& out) {
  const char* s = action_symbol(a.kind);
  out << s << " " << engine::action_name(a.kind) << " " << state::describe(a.identity);
  if (!a.cluster_id.empty()) out << " [" << a.cluster_id << "]";
  out << "\n";
  if (!a.note.empty()) out << "    # " << note_text(a) << "\n";
  for (const auto& c : fields_of(a)) {
    if (c.before) out << "-     " << c.pointer << ": " << *c.before << "\n";
    if (c.after) out << "+     " << c.pointer << ": " << *c.after << "\n";
  }
}

}  // namespace

std::string markdown_cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '|':
        out += "\\|";
        break;
      case '`':
        out += "\\`";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '\n':
      case '\r':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string plan_markdown(const engine::Plan& plan, const std::string& title) {
  std::ostringstream out;
  out << "### provision plan" << (title.empty() ? "" : ": " + markdown_cell(title)) << "\n\n";
  out << "**" << plan_counts(plan) << ".**\n\n";
  if (!plan.has_changes() && !plan.has_blocked()) {
    out << "No changes: the clusters match the specs.\n";
    return out.str();
  }
  out << "| | Action | Cluster | Workspace | Region | Cluster id | Fields |\n"
      << "|---|---|---|---|---|---|---|\n";
  std::ostringstream diff;
  for (const auto& a : plan.actions) {
    if (!shown_in_table(a.kind)) continue;
    out << "| " << markdown_cell(action_symbol(a.kind)) << " | " << engine::action_name(a.kind) << " | "
        << markdown_cell(a.identity.name) << " | " << markdown_cell(a.identity.workspace_id) << " | "
        << markdown_cell(a.identity.region_id) << " | " << markdown_cell(a.cluster_id) << " | "
        << fields_of(a).size() << " |\n";
    diff_lines(a, diff);
  }
  const std::string body = diff.str();
  const std::string fence = fence_for(body);
  out << "\n<details><summary>Field diff</summary>\n\n"
      << fence << "diff\n"
      << body << fence << "\n\n</details>\n";
  return out.str();
}

}  // namespace provision::cli
