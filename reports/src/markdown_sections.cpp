// The events, allowlist and trend sections of summary.md. Row caps keep a CI
// job summary under GitHub's 1 MiB limit; summary.json always has every row.
#include <algorithm>

#include "markdown_util.h"

namespace ft::reports::detail {
namespace {

constexpr size_t kMaxEventRows = 500;
constexpr size_t kMaxTrendRows = 50;  // the most recent runs

std::string or_any(const std::string& v) { return v.empty() ? "*" : v; }

}  // namespace

void write_md_events(std::ostringstream& md, const ReportData& d) {
  md << "## Hardened events\n\n";
  if (d.events.empty()) {
    md << "No hardened-mode events were recorded for this run.\n\n";
    return;
  }
  md << "| op | dtype | reason | detail | case |\n|---|---|---|---|---:|\n";
  size_t shown = std::min(d.events.size(), kMaxEventRows);
  for (size_t i = 0; i < shown; ++i) {
    const auto& e = d.events[i];
    md << "| " << md_code(e.op) << " | " << md_text(e.dtype) << " | " << md_code(e.reason) << " | "
       << md_text(truncate(one_line(e.detail), 200)) << " | "
       << (e.case_id == 0 ? std::string("-") : std::to_string(e.case_id)) << " |\n";
  }
  if (shown < d.events.size())
    md << "\n" << d.events.size() - shown << " more events are listed in summary.json.\n";
  md << "\n";
}

void write_md_allowlist(std::ostringstream& md, const ReportData& d) {
  if (!d.has_allowlist) return;
  md << "## Allowlist\n\n";
  if (d.allow.empty()) {
    md << "The allowlist is empty.\n\n";
    return;
  }
  md << d.totals.allowed << " failing cases are covered by the allowlist (marked \"(allowed)\" "
     << "in the drift table).\n\n"
     << "| op | dtype | suite | reason | attribution | approved by | cases covered |\n"
     << "|---|---|---|---|---|---|---:|\n";
  for (size_t i = 0; i < d.allow.size(); ++i) {
    const AllowEntry& e = d.allow[i];
    md << "| " << md_code(e.op) << " | " << md_text(or_any(e.dtype)) << " | "
       << md_text(or_any(e.suite)) << " | " << md_text(truncate(one_line(e.reason), 200)) << " | "
       << md_text(e.attribution) << " | " << md_text(e.approved_by) << " | " << d.allow_hits[i]
       << " |\n";
  }
  md << "\n";
}

void write_md_trend(std::ostringstream& md, const ReportData& d) {
  md << "## Trend\n\nNon-pass cases per run in this ledger, oldest first.\n\n";
  size_t first = d.trend.size() > kMaxTrendRows ? d.trend.size() - kMaxTrendRows : 0;
  if (first > 0)
    md << "Showing the last " << kMaxTrendRows << " of " << d.trend.size() << " runs.\n\n";
  md << "| run | started | git sha | drift | error_mismatch | crash | skip | non-pass |\n"
     << "|---:|---|---|---:|---:|---:|---:|---:|\n";
  for (size_t i = first; i < d.trend.size(); ++i) {
    const auto& t = d.trend[i];
    bool current = t.run_id == d.run.id;
    md << "| " << (current ? "**" + std::to_string(t.run_id) + "** (this run)"
                           : std::to_string(t.run_id))
       << " | " << md_text(t.started) << " | " << md_code(t.git_sha) << " | " << t.drift << " | "
       << t.error_mismatch << " | " << t.crash << " | " << t.skip << " | " << t.non_pass()
       << " |\n";
  }
  md << "\n";
}

}  // namespace ft::reports::detail
