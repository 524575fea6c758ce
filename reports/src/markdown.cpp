// summary.md: the run as Markdown, fit for a CI job summary (GitHub-flavoured tables).
#include <algorithm>
#include <sstream>

#include "report_data.h"

namespace ft::reports::detail {
namespace {

// GitHub caps a job summary at 1 MiB; the full list is in summary.json / index.html.
constexpr size_t kMaxFailureRows = 500;

std::string one_line(std::string_view s) {
  std::string out = sanitize_text(s);
  std::replace(out.begin(), out.end(), '\n', ' ');
  std::replace(out.begin(), out.end(), '\r', ' ');
  std::replace(out.begin(), out.end(), '\t', ' ');
  return out;
}

// Plain text: every Markdown/HTML-significant ASCII punctuation is
// backslash-escaped (always legal in CommonMark), so names like `<script>`
// or `a|b` render literally and cannot break a table.
std::string md_text(std::string_view s) {
  std::string out;
  for (char c : one_line(s)) {
    if (std::string_view("\\`*_[]<>|#&!~").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// An inline code span. Backslash escapes do not work inside code spans, so
// the fence is made longer than any backtick run inside; in tables GFM still
// needs `|` escaped (and unescapes it).
std::string md_code(std::string_view s, bool in_table = true) {
  std::string body = one_line(s);
  if (body.empty()) return "";  // `` would open a code span, not close one
  if (in_table) {
    std::string esc;
    for (char c : body) esc += c == '|' ? std::string("\\|") : std::string(1, c);
    body = esc;
  }
  size_t longest = 0, run = 0;
  for (char c : body) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(longest + 1, '`');
  bool pad = !body.empty() && (body.front() == '`' || body.back() == '`');
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

// Cuts at a character boundary (never inside a UTF-8 sequence).
std::string truncate(std::string s, size_t n) {
  if (s.size() <= n) return s;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n) + "…";
}

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
  } else {
    md << "**Result: FAIL** — " << t.failing() << " failing cases (" << t.drifted << " drift, "
       << t.error_mismatch << " error_mismatch, " << t.crashed << " crash) out of " << t.cases
       << "; " << t.skipped << " skipped.\n\n";
  }

  md << "| Run | " << r.id << " |\n|---|---|\n";
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
    md << "| case | op | dtype | variant | outcome | shapes | message | replay |\n"
       << "|---:|---|---|---|---|---|---|---|\n";
    size_t shown = std::min(d.failures.size(), kMaxFailureRows);
    for (size_t i = 0; i < shown; ++i) {
      const auto& f = d.failures[i];
      std::string message = f.drift ? f.drift->message : "";
      md << "| " << f.row.id << " | " << md_code(f.row.op) << " | " << md_text(f.row.dtype) << " | "
         << md_text(f.row.variant) << " | " << f.row.outcome << " | " << md_code(f.row.shapes)
         << " | " << md_text(truncate(one_line(message), 200)) << " | "
         << md_code(replay_command(f.row.id, d.ledger_path)) << " |\n";
    }
    if (shown < d.failures.size())
      md << "\n"
         << d.failures.size() - shown
         << " more failing cases are listed in summary.json and index.html.\n";
    md << "\n";
  }

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
