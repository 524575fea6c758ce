// summary.md: the run as Markdown, fit for a CI job summary (GitHub-flavoured
// tables). The header, totals, op table and drift table are here; events,
// allowlist and trend in markdown_sections.cpp.
#include <algorithm>
#include <sstream>

#include "markdown_util.h"
#include "report_data.h"

namespace ft::reports::detail {
namespace {

// GitHub caps a job summary at 1 MiB; the full list is in summary.json / index.html.
constexpr size_t kMaxFailureRows = 500;

const char* status_badge(Status s) {
  switch (s) {
    case Status::Pass:
      return "✅ pass";
    case Status::Drift:
      return "⚠️ drift";
    case Status::Fail:
      return "❌ fail";
    case Status::NotRun:
      return "⬜ not run";
  }
  return "";
}

}  // namespace

std::string render_markdown(const ReportData& d) {
  const auto& r = d.run;
  const Totals& t = d.totals;
  std::ostringstream md;
  md << "# FrankenTorch parity report — run " << r.id << "\n\n";
  if (t.failing() == 0) {
    md << "**Result: PASS** — " << t.passed << " of " << t.cases << " cases passed, " << t.skipped
       << " skipped, no drift.\n\n";
  } else if (t.blocking() == 0) {
    md << "**Result: PASS** — " << t.passed << " of " << t.cases << " cases passed, " << t.skipped
       << " skipped; all " << t.allowed << " failing cases are allowed by the allowlist.\n\n";
  } else {
    md << "**Result: FAIL** — " << t.failing() << " failing cases (" << t.drifted << " drift, "
       << t.error_mismatch << " error_mismatch, " << t.crashed << " crash) out of " << t.cases
       << "; " << t.skipped << " skipped";
    if (t.allowed > 0) md << "; " << t.allowed << " of them allowed by the allowlist";
    md << ".\n\n";
  }

  md << "| Run | " << r.id << " |\n|---|---|\n";
  md << "| Run uid | " << md_code(r.info.uid) << " |\n";
  md << "| Git SHA | " << md_code(r.info.git_sha) << " |\n";
  md << "| Engine version | " << md_text(r.info.engine_version) << " |\n";
  md << "| Oracle version | " << md_text(r.info.oracle_version) << " |\n";
  md << "| Mode | " << md_text(r.info.mode) << " |\n";
  md << "| Suite | " << md_text(r.info.suite) << " |\n";
  md << "| Seed | " << r.info.seed << " |\n";
  md << "| Threads | " << r.info.threads << " |\n";
  md << "| Host | " << md_text(r.info.host) << " |\n";
  md << "| Started | " << md_text(r.started) << " |\n";
  md << "| Finished | " << (r.finished.empty() ? "(not finished)" : md_text(r.finished)) << " |\n";
  md << "| Command | " << md_code(r.info.argv) << " |\n";
  md << "| Ledger | " << md_code(d.ledger_path) << " |\n\n";

  md << "## Totals\n\n| cases | passed | drift | error_mismatch | crash | skip |\n"
     << "|---:|---:|---:|---:|---:|---:|\n"
     << "| " << t.cases << " | " << t.passed << " | " << t.drifted << " | " << t.error_mismatch
     << " | " << t.crashed << " | " << t.skipped << " |\n\n";

  md << "## Results by op and dtype\n\n";
  if (d.cells.empty()) {
    md << "No cases were recorded for this run.\n\n";
  } else {
    md << "| op | dtype | status | cases | passed | drift | error_mismatch | crash | skip | "
          "worst abs | worst rel | worst ulp |\n"
       << "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const auto& s : d.cells) {
      md << "| " << md_code(s.op) << " | " << md_text(s.dtype) << " | "
         << status_badge(status_of(s)) << " | " << s.cases << " | " << s.passed << " | "
         << s.drifted << " | " << s.error_mismatch << " | " << s.crashed << " | " << s.skipped
         << " | " << format_number(s.worst_abs) << " | " << format_number(s.worst_rel) << " | "
         << format_number(s.worst_ulp) << " |\n";
    }
    md << "\n";
  }

  md << "## Drift\n\n";
  if (d.failures.empty()) {
    md << "No drift: every case that ran matched the oracle.\n\n";
  } else {
    // Attribution next to the replay command, as in index.html.
    md << "| case | op | dtype | variant | outcome | shapes | message | attribution | replay |\n"
       << "|---:|---|---|---|---|---|---|---|---|\n";
    size_t shown = std::min(d.failures.size(), kMaxFailureRows);
    for (size_t i = 0; i < shown; ++i) {
      const auto& f = d.failures[i];
      std::string message = f.drift ? f.drift->message : "";
      md << "| " << f.row.id << " | " << md_code(f.row.op) << " | " << md_text(f.row.dtype) << " | "
         << md_text(f.row.variant) << " | " << md_text(f.row.outcome)
         << (f.allowed() ? " (allowed)" : "") << " | " << md_code(f.row.shapes) << " | "
         << md_text(truncate(one_line(message), 200)) << " | "
         << md_text(attribution_label(f.row.attribution)) << " | "
         << md_code(replay_command(f.row.id, d.ledger_path)) << " |\n";
    }
    if (shown < d.failures.size())
      md << "\n"
         << d.failures.size() - shown
         << " more failing cases are listed in summary.json and index.html.\n";
    md << "\n";
  }

  write_md_events(md, d);
  write_md_allowlist(md, d);
  write_md_trend(md, d);
  write_md_training(md, d);
  write_md_bench(md, d);

  if (!d.skips.empty()) {
    md << "## Skipped\n\n| op | dtype | reason | cases |\n|---|---|---|---:|\n";
    for (const auto& s : d.skips)
      md << "| " << md_code(s.op) << " | " << md_text(s.dtype) << " | " << md_text(s.reason)
         << " | " << s.count << " |\n";
    md << "\n";
  }
  return md.str();
}

}  // namespace ft::reports::detail
