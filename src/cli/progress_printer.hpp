// Progress of a run as the user sees it: on a terminal one line per cluster with
// its stage and elapsed time, redrawn in place; otherwise one log line per change;
// with --output json one event object per line. Also prints the final summary.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cli/context.hpp"
#include "engine/events.hpp"

namespace provision::cli {

class ProgressPrinter final : public engine::EventSink {
 public:
  explicit ProgressPrinter(Context& context);
  void on_event(const engine::ClusterEvent& event) override;
  void on_tick() override;

 private:
  void redraw();
  std::string line_for(const engine::ClusterEvent& e) const;

  Context& ctx_;
  bool live_;  // redraw in place (text on a terminal)
  std::vector<state::ClusterIdentity> order_;
  std::map<state::ClusterIdentity, engine::ClusterEvent> latest_;
  std::map<state::ClusterIdentity, std::string> last_logged_;
  std::size_t drawn_ = 0;
};

// "Apply complete: ..." (or the JSON summary object) and a line per failure.
// `verb` is "Apply" or "Destroy".
void print_summary(const engine::RunSummary& summary, const std::string& verb, Context& context);

}  // namespace provision::cli
