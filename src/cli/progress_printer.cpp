// Rendering of engine events. In-place redraw uses only "cursor up" and "erase
// line", which every terminal emulator in use understands.
#include "cli/progress_printer.hpp"

#include <boost/json.hpp>
#include <ostream>

#include "cli/hint_text.hpp"

namespace provision::cli {
namespace json = boost::json;
using engine::ClusterEvent;
namespace {

std::string seconds(std::chrono::milliseconds d) { return std::to_string(d.count() / 1000) + "s"; }

json::object event_json(const ClusterEvent& e) {
  json::object o{{"type", e.finished ? "result" : "progress"},
                 {"action", engine::action_name(e.action)},
                 {"name", e.identity.name},
                 {"workspaceId", e.identity.workspace_id},
                 {"regionId", e.identity.region_id},
                 {"stage", e.stage},
                 {"clusterId", e.cluster_id},
                 {"state", e.live_state},
                 {"elapsedMs", e.elapsed.count()}};
  if (e.finished) o["ok"] = e.ok;
  if (!e.message.empty()) o["message"] = with_hint(e.message, e.hint);
  return o;
}

json::object result_json(const engine::ClusterResult& r) {
  json::object o{{"action", engine::action_name(r.action)},
                 {"name", r.identity.name},
                 {"workspaceId", r.identity.workspace_id},
                 {"regionId", r.identity.region_id},
                 {"ok", r.ok},
                 {"clusterId", r.cluster_id},
                 {"state", r.live_state},
                 {"elapsedMs", r.elapsed.count()}};
  if (!r.message.empty()) o["message"] = with_hint(r.message, r.hint);
  return o;
}

}  // namespace

ProgressPrinter::ProgressPrinter(Context& context)
    : ctx_(context), live_(context.format == OutputFormat::kText && context.stdout_is_tty) {}

std::string ProgressPrinter::line_for(const ClusterEvent& e) const {
  std::string name = e.identity.name;
  if (name.size() < 20) name.resize(20, ' ');
  std::string stage = e.stage;
  if (stage.size() < 11) stage.resize(11, ' ');
  std::string line = name + " " + engine::action_name(e.action) + ": " + stage + " " + seconds(e.elapsed);
  if (!e.cluster_id.empty()) line += "  " + e.cluster_id;
  if (!e.live_state.empty()) line += "  " + e.live_state;
  if (!e.message.empty() && !live_ && (!e.finished || !e.ok)) line += "\n    " + with_hint(e.message, e.hint);
  if (ctx_.color && ctx_.stdout_is_tty && e.finished)
    line = (e.ok ? "\x1b[32m" : "\x1b[31m") + line + "\x1b[0m";
  return line;
}

void ProgressPrinter::on_event(const ClusterEvent& e) {
  if (ctx_.format == OutputFormat::kJson) {
    ctx_.out << json::serialize(event_json(e)) << "\n" << std::flush;
    return;
  }
  if (!latest_.count(e.identity)) order_.push_back(e.identity);
  latest_[e.identity] = e;
  if (live_) {
    redraw();
    return;
  }
  // Plain logs: one line when the stage or the cluster state changes, not on every poll.
  const std::string key = e.stage + "|" + e.live_state + "|" + e.cluster_id + "|" + e.message;
  if (last_logged_[e.identity] == key && !e.finished) return;
  last_logged_[e.identity] = key;
  ctx_.out << line_for(e) << "\n" << std::flush;
}

void ProgressPrinter::on_tick() {
  if (!live_) return;
  for (auto& [id, e] : latest_)
    if (!e.finished) e.elapsed += std::chrono::seconds(1);
  redraw();
}

void ProgressPrinter::redraw() {
  if (drawn_ > 0) ctx_.out << "\x1b[" << drawn_ << "A";
  for (const auto& id : order_) ctx_.out << "\r\x1b[2K" << line_for(latest_[id]) << "\n";
  drawn_ = order_.size();
  ctx_.out << std::flush;
}

void print_summary(const engine::RunSummary& summary, const std::string& verb, Context& ctx) {
  using engine::ActionKind;
  auto n = [&](ActionKind k) { return summary.count(k); };
  if (ctx.format == OutputFormat::kJson) {
    json::array results;
    for (const auto& r : summary.results) results.push_back(result_json(r));
    json::object o{{"type", "summary"},
                   {"command", verb == "Apply" ? "apply" : "destroy"},
                   {"ok", summary.failed() == 0},
                   {"created", n(ActionKind::kCreate)},
                   {"updated", n(ActionKind::kUpdate)},
                   {"deleted", n(ActionKind::kDelete)},
                   {"replaced", n(ActionKind::kReplace)},
                   {"adopted", n(ActionKind::kAdopt)},
                   {"failed", summary.failed()},
                   {"results", results}};
    ctx.out << json::serialize(o) << "\n";
    return;
  }
  ctx.out << "\n" << verb << (summary.failed() ? " finished with errors: " : " complete: ");
  if (verb == "Destroy") {
    ctx.out << n(ActionKind::kDelete) << " destroyed";
  } else {
    ctx.out << n(ActionKind::kCreate) << " created, " << n(ActionKind::kUpdate) << " updated, "
            << n(ActionKind::kDelete) << " deleted";
    if (auto a = n(ActionKind::kAdopt)) ctx.out << ", " << a << " adopted";
    if (auto r = n(ActionKind::kReplace)) ctx.out << ", " << r << " replaced";
  }
  ctx.out << ", " << summary.failed() << " failed.\n";
  for (const auto& r : summary.results)
    if (!r.ok)
      ctx.out << "  failed: " << state::describe(r.identity) << ": " << with_hint(r.message, r.hint) << "\n";
}

}  // namespace provision::cli
