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

void write_md_training(std::ostringstream& md, const ReportData& d) {
  md << "## Training traces\n\n";
  auto traces = training_traces(d);
  if (traces.empty()) {
    md << "The ledger has no training run (`ftorch conform --suite training` records one).\n\n";
    return;
  }
  md << "Run " << d.training_run << (d.training_run == d.run.id ? " (this run)" : " (the ledger's newest training run)")
     << ": engine and libtorch trained from one seed; relative drift of the loss and of the parameters.\n\n"
     << "| trace | dtype | steps | bound | worst loss drift | worst parameter drift | steps over the bound |\n"
     << "|---|---|---:|---:|---:|---:|---:|\n";
  for (const TraceSummary& t : traces) {
    const auto& p = d.training[t.begin];
    md << "| " << md_code(p.trace) << " | " << md_text(p.dtype) << " | " << t.end - t.begin << " | "
       << format_number(p.bound) << " | " << format_number(t.worst_loss) << " | " << format_number(t.worst_param)
       << " | " << (t.over_bound ? "**" + std::to_string(t.over_bound) + "**" : std::string("0")) << " |\n";
  }
  md << "\n";
}

void write_md_bench(std::ostringstream& md, const ReportData& d) {
  md << "## Benchmarks\n\n";
  if (d.perf.empty()) {
    md << "The ledger has no benchmark run (`ftorch bench --ledger` records one).\n\n";
    return;
  }
  md << "Run " << d.perf_run << (d.perf_run == d.run.id ? " (this run)" : " (the ledger's newest bench run)")
     << ", " << d.perf.front().threads
     << " thread(s). Speedup = libtorch median / engine median (> 1: the engine is faster).\n\n"
     << "| benchmark | speedup | target | engine p50 (ns) | libtorch p50 (ns) |\n|---|---:|---:|---:|---:|\n";
  for (const auto& p : d.perf)
    md << "| " << md_code(p.bench) << " | " << (p.speedup >= p.target ? "" : "**") << format_number(p.speedup) << "x"
       << (p.speedup >= p.target ? "" : "**") << " | " << format_number(p.target) << "x | "
       << format_number(p.engine_p50_ns) << " | " << format_number(p.oracle_p50_ns) << " |\n";
  md << "\n";
}

}  // namespace ft::reports::detail
