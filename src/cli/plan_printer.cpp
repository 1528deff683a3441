// Plan rendering. Diff values are compact JSON; secrets were redacted before the diff.
#include "cli/plan_printer.hpp"

#include <boost/json.hpp>
#include <ostream>

#include "cli/hint_text.hpp"

namespace provision::cli {
namespace json = boost::json;
using engine::ActionKind;
using engine::PlannedAction;
namespace {

const char* color_of(ActionKind k) {
  switch (k) {
    case ActionKind::kCreate:
    case ActionKind::kAdopt:
      return "\x1b[32m";
    case ActionKind::kUpdate:
      return "\x1b[33m";
    case ActionKind::kDelete:
    case ActionKind::kReplace:
    case ActionKind::kUnmanaged:
    case ActionKind::kConflict:
    case ActionKind::kRefusedReplace:
      return "\x1b[31m";
    default:
      return "";
  }
}

std::size_t count(const engine::Plan& plan, ActionKind k) {
  std::size_t n = 0;
  for (const auto& a : plan.actions) n += a.kind == k ? 1 : 0;
  return n;
}

json::value parsed_or_text(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  boost::system::error_code ec;
  json::value v = json::parse(*text, ec);
  return ec ? json::value(*text) : v;
}

json::object action_json(const PlannedAction& a) {
  json::object o{{"type", "planned_change"},         {"action", engine::action_name(a.kind)},
                 {"name", a.identity.name},          {"workspaceId", a.identity.workspace_id},
                 {"regionId", a.identity.region_id}, {"clusterId", a.cluster_id},
                 {"specFile", a.spec_file},          {"drift", a.drift}};
  if (!a.note.empty()) o["note"] = note_text(a);
  if (a.replaces) o["replacesClusterId"] = a.replaced_cluster_id;
  if (!a.candidates.empty()) {
    json::array ids;
    for (const auto& id : a.candidates) ids.push_back(json::value(id));
    o["candidates"] = ids;
  }
  json::array changes;
  for (const auto& c : a.diff)
    changes.push_back(json::object{
        {"pointer", c.pointer}, {"before", parsed_or_text(c.before)}, {"after", parsed_or_text(c.after)}});
  o["changes"] = changes;
  return o;
}

void print_text(const PlannedAction& a, const Context& ctx) {
  // Colour only where it is read: the context's flag follows stderr, plans go to stdout.
  const bool color = ctx.color && ctx.stdout_is_tty && *color_of(a.kind);
  std::ostream& out = ctx.out;
  out << "  " << (color ? color_of(a.kind) : "") << action_symbol(a.kind) << " "
      << engine::action_name(a.kind) << (color ? "\x1b[0m" : "") << "  " << state::describe(a.identity);
  if (!a.cluster_id.empty()) out << " [" << a.cluster_id << "]";
  if (!a.spec_file.empty()) out << "  " << a.spec_file;
  out << "\n";
  if (!a.note.empty()) out << "      " << note_text(a) << "\n";
  for (const auto& c : a.diff) {
    out << "      " << c.pointer << ": ";
    if (c.before && c.after)
      out << *c.before << " -> " << *c.after;
    else if (c.after)
      out << "(added) " << *c.after;
    else
      out << *c.before << " (removed)";
    out << "\n";
  }
}

}  // namespace

const char* action_symbol(ActionKind k) {
  switch (k) {
    case ActionKind::kCreate:
      return "+";
    case ActionKind::kUpdate:
      return "~";
    case ActionKind::kDelete:
      return "-";
    case ActionKind::kReplace:
      return "-/+";
    case ActionKind::kAdopt:
      return "<=";
    case ActionKind::kNoChange:
    case ActionKind::kNotInSpecs:
      return "=";
    default:
      return "!";
  }
}

std::string plan_counts(const engine::Plan& plan) {
  std::string s = std::to_string(count(plan, ActionKind::kCreate) + count(plan, ActionKind::kReplace)) +
                  " to create, " + std::to_string(count(plan, ActionKind::kUpdate)) + " to update, " +
                  std::to_string(count(plan, ActionKind::kDelete) + count(plan, ActionKind::kReplace)) +
                  " to delete";
  if (auto n = count(plan, ActionKind::kAdopt)) s += ", " + std::to_string(n) + " to adopt";
  s += ", " + std::to_string(count(plan, ActionKind::kNoChange)) + " unchanged";
  const std::size_t blocked = count(plan, ActionKind::kUnmanaged) + count(plan, ActionKind::kConflict) +
                              count(plan, ActionKind::kRefusedReplace);
  if (blocked) s += ", " + std::to_string(blocked) + " blocked";
  return s;
}

void print_plan(const engine::Plan& plan, const Context& ctx) {
  if (ctx.format == OutputFormat::kJson) {
    for (const auto& a : plan.actions) ctx.out << json::serialize(action_json(a)) << "\n";
    json::object summary{
        {"type", "change_summary"},
        {"create", count(plan, ActionKind::kCreate)},
        {"update", count(plan, ActionKind::kUpdate)},
        {"delete", count(plan, ActionKind::kDelete)},
        {"replace", count(plan, ActionKind::kReplace)},
        {"adopt", count(plan, ActionKind::kAdopt)},
        {"noChange", count(plan, ActionKind::kNoChange)},
        {"blocked", count(plan, ActionKind::kUnmanaged) + count(plan, ActionKind::kConflict) +
                        count(plan, ActionKind::kRefusedReplace)},
        {"changes", plan.has_changes()}};
    ctx.out << json::serialize(summary) << "\n";
    return;
  }
  for (const auto& a : plan.actions) print_text(a, ctx);
  if (!plan.actions.empty()) ctx.out << "\n";
  ctx.out << "Plan: " << plan_counts(plan) << ".\n";
}

}  // namespace provision::cli
