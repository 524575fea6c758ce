// index.html: one self-contained page (inline CSS and SVG, no scripts, no
// network): the run header, the op x dtype matrix and the drift table here;
// charts and the other tables in html_*.cpp (html_parts.h). Every string from
// the ledger goes through escape_markup.
#include <sstream>

#include "html_parts.h"
#include "report_data.h"

namespace ft::reports::detail {
namespace html {

const char* status_colour(Status s) {
  switch (s) {
    case Status::Pass:
      return "#2da44e";
    case Status::Drift:
      return "#d4a72c";
    case Status::Fail:
      return "#cf222e";
    case Status::NotRun:
      return "#8c959f";
  }
  return "#8c959f";
}

}  // namespace html

namespace {

constexpr const char* kStyle = R"css(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1f2328;background:#fff}
h1{font-size:22px;margin:0 0 8px}
h2{font-size:17px;margin:28px 0 10px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.verdict{font-weight:600;padding:6px 10px;border-radius:6px;display:inline-block}
.verdict.pass{background:#dafbe1;color:#116329}
.verdict.fail{background:#ffebe9;color:#a40e26}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:12px 0}
dl.meta dt{color:#59636e}
dl.meta dd{margin:0;font-family:ui-monospace,Menlo,monospace;word-break:break-all}
table{border-collapse:collapse;margin-bottom:8px}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
td.num{text-align:right;font-variant-numeric:tabular-nums}
table.matrix td.cell{text-align:center;min-width:76px}
.cell b{display:block}
.cell small{display:block;color:#3d444d}
.s-pass{background:#c6efce}
.s-drift{background:#ffe08a}
.s-fail{background:#ffb3b3}
.s-not_run{background:#e5e7eb;color:#6b7280}
.s-allowed{background:#ddf4ff}
tr.allowed td{background:#f3f9ff}
.badge{display:inline-block;font-size:11px;padding:0 6px;border-radius:8px;background:#54aeff;color:#fff;margin-left:4px}
.charts{display:flex;flex-wrap:wrap;gap:12px}
figure.hist{margin:0;border:1px solid #d0d7de;border-radius:6px;padding:6px}
figure.hist figcaption{font-size:12px;margin-bottom:2px}
.legend span{display:inline-block;padding:2px 8px;margin-right:6px;border-radius:4px}
code{font-family:ui-monospace,Menlo,monospace;font-size:12px;background:#f6f8fa;padding:1px 4px;border-radius:4px;word-break:break-all}
details pre{white-space:pre-wrap;margin:4px 0;font-size:12px}
footer{margin-top:32px;color:#59636e;font-size:12px}
)css";

std::string num(int64_t v) { return std::to_string(v); }

void meta_row(std::ostringstream& h, const char* key, const std::string& value) {
  h << "<dt>" << key << "</dt><dd>" << escape_markup(value.empty() ? "-" : value) << "</dd>\n";
}

void write_header(std::ostringstream& h, const ReportData& d) {
  const auto& r = d.run;
  const Totals& t = d.totals;
  h << "<header>\n<h1>FrankenTorch parity report — run " << r.id << "</h1>\n";
  if (t.failing() == 0) {
    h << "<p class=\"verdict pass\">PASS: " << t.passed << " of " << t.cases << " cases passed, "
      << t.skipped << " skipped, no drift</p>\n";
  } else if (t.blocking() == 0) {
    h << "<p class=\"verdict pass\">PASS: " << t.passed << " of " << t.cases << " cases passed, "
      << t.skipped << " skipped; all " << t.allowed
      << " failing cases are allowed by the allowlist</p>\n";
  } else {
    h << "<p class=\"verdict fail\">FAIL: " << t.failing() << " failing cases (" << t.drifted
      << " drift, " << t.error_mismatch << " error_mismatch, " << t.crashed << " crash) out of "
      << t.cases << ", " << t.skipped << " skipped";
    if (t.allowed > 0) h << "; " << t.allowed << " of them allowed by the allowlist";
    h << "</p>\n";
  }
  h << "<dl class=\"meta\">\n";
  meta_row(h, "Run", num(r.id));
  meta_row(h, "Run uid", r.info.uid);
  meta_row(h, "Git SHA", r.info.git_sha);
  meta_row(h, "Engine version", r.info.engine_version);
  meta_row(h, "Oracle version", r.info.oracle_version);
  meta_row(h, "Mode", r.info.mode);
  meta_row(h, "Suite", r.info.suite);
  meta_row(h, "Seed", std::to_string(r.info.seed));
  meta_row(h, "Threads", num(r.info.threads));
  meta_row(h, "Host", r.info.host);
  meta_row(h, "Started", r.started);
  meta_row(h, "Finished", r.finished.empty() ? "(not finished)" : r.finished);
  meta_row(h, "Command", r.info.argv);
  meta_row(h, "Ledger", d.ledger_path);
  h << "</dl>\n</header>\n";
}

void write_matrix(std::ostringstream& h, const ReportData& d) {
  h << "<section>\n<h2>Op × dtype</h2>\n";
  if (d.cells.empty()) {
    h << "<p>No cases were recorded for this run.</p>\n</section>\n";
    return;
  }
  h << "<p class=\"legend\"><span class=\"s-pass\">all pass</span><span class=\"s-drift\">drift"
       "</span><span class=\"s-fail\">error mismatch / crash</span><span class=\"s-allowed\">"
       "failures all allowed</span><span class=\"s-not_run\">not run</span> Each cell: "
       "passed/cases and the worst ULP error.</p>\n";
  h << "<table class=\"matrix\">\n<thead><tr><th>op</th>";
  for (const auto& dt : d.dtypes) h << "<th>" << escape_markup(dt) << "</th>";
  h << "</tr></thead>\n<tbody>\n";
  for (const auto& op : d.ops) {
    h << "<tr><th>" << escape_markup(op) << "</th>";
    for (const auto& dt : d.dtypes) {
      const auto* s = d.cell(op, dt);
      if (!s) {
        h << "<td class=\"cell s-not_run\" title=\"not run\">—</td>";
        continue;
      }
      std::string title = op + " " + dt + ": " + num(s->passed) + " passed, " + num(s->drifted) +
                          " drift, " + num(s->error_mismatch) + " error_mismatch, " +
                          num(s->crashed) + " crash, " + num(s->skipped) + " skipped";
      // A failing cell links to its first failure in the drift table below.
      int64_t first = d.first_failure(op, dt);
      std::string frac = num(s->passed) + "/" + num(s->cases);
      if (first != 0) frac = "<a href=\"#case-" + num(first) + "\">" + frac + "</a>";
      // A cell whose failures the allowlist all covers is known, not new: blue.
      int64_t allowed = d.allowed_in(op, dt);
      bool all_allowed = allowed > 0 && allowed == s->drifted + s->error_mismatch + s->crashed;
      if (allowed > 0) title += ", " + num(allowed) + " allowed";
      h << "<td class=\"cell s-" << (all_allowed ? "allowed" : status_name(status_of(*s)))
        << "\" title=\""
        << escape_markup(title) << "\"><b>" << frac << "</b><small>ulp "
        << format_number(s->worst_ulp) << "</small></td>";
    }
    h << "</tr>\n";
  }
  h << "</tbody>\n</table>\n</section>\n";
}

void write_drift_table(std::ostringstream& h, const ReportData& d) {
  h << "<section>\n<h2>Drift</h2>\n";
  if (d.failures.empty()) {
    h << "<p>No drift: every case that ran matched the oracle.</p>\n</section>\n";
    return;
  }
  // Attribution sits right before the replay command: whoever replays a case
  // first wants to know which side was closer to the f64 reference.
  h << "<table class=\"drift\">\n<thead><tr><th>case</th><th>op</th><th>dtype</th><th>variant"
       "</th><th>mode</th><th>outcome</th><th>shapes</th><th>strides</th><th>max abs</th><th>max "
       "ulp</th><th>atol / rtol</th><th>message</th><th>attribution</th><th>replay</th></tr>"
       "</thead>\n<tbody>\n";
  for (const auto& f : d.failures) {
    const auto& c = f.row;
    h << "<tr id=\"case-" << c.id << "\"" << (f.allowed() ? " class=\"allowed\"" : "")
      << "><td class=\"num\">" << c.id << "</td><td>" << escape_markup(c.op) << "</td><td>"
      << escape_markup(c.dtype) << "</td><td>" << escape_markup(c.variant) << "</td><td>"
      << escape_markup(c.mode) << "</td><td class=\"s-"
      << (f.allowed() ? "allowed" : c.outcome == "drift" ? "drift" : "fail") << "\">"
      << escape_markup(c.outcome);
    if (f.allowed()) {
      const AllowEntry& e = d.allow[static_cast<size_t>(f.allowed_by)];
      h << "<span class=\"badge\" title=\"" << escape_markup("allowed: " + e.reason)
        << "\">allowed</span>";
    }
    h << "</td><td><code>" << escape_markup(c.shapes) << "</code></td><td><code>"
      << escape_markup(c.strides) << "</code></td><td class=\"num\">" << format_number(c.max_abs)
      << "</td><td class=\"num\">" << format_number(c.max_ulp) << "</td><td class=\"num\">"
      << format_number(c.atol) << " / " << format_number(c.rtol) << "</td><td>";
    if (f.drift) {
      const auto& dr = *f.drift;
      h << escape_markup(dr.message) << "<details><summary>details</summary><pre>"
        << "first index:    " << escape_markup(dr.first_index) << "\n"
        << "engine:         " << escape_markup(dr.engine_value) << "\n"
        << "oracle:         " << escape_markup(dr.oracle_value) << "\n"
        << "minimized:      " << escape_markup(dr.minimized_case) << " (" << dr.shrink_steps
        << " shrink steps)\n"
        << "reproduce:      " << escape_markup(c.reproduce) << "</pre></details>";
    }
    h << "</td><td class=\"attribution\">" << escape_markup(attribution_label(c.attribution))
      << "</td><td><code>" << escape_markup(replay_command(c.id, d.ledger_path))
      << "</code></td></tr>\n";
  }
  h << "</tbody>\n</table>\n</section>\n";
}

void write_skips(std::ostringstream& h, const ReportData& d) {
  if (d.skips.empty()) return;
  h << "<section>\n<h2>Skipped</h2>\n<table>\n<thead><tr><th>op</th><th>dtype</th><th>reason"
       "</th><th>cases</th></tr></thead>\n<tbody>\n";
  for (const auto& s : d.skips)
    h << "<tr><td>" << escape_markup(s.op) << "</td><td>" << escape_markup(s.dtype) << "</td><td>"
      << escape_markup(s.reason) << "</td><td class=\"num\">" << s.count << "</td></tr>\n";
  h << "</tbody>\n</table>\n</section>\n";
}

}  // namespace

std::string render_html(const ReportData& d) {
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    << "<title>FrankenTorch parity report — run " << d.run.id << "</title>\n"
    << "<style>" << kStyle << "</style>\n</head>\n<body>\n";
  write_header(h, d);
  write_matrix(h, d);
  html::write_ulp_chart(h, d);
  html::write_ulp_histograms(h, d);
  html::write_trend_chart(h, d);
  html::write_training_charts(h, d);
  html::write_bench(h, d);
  write_drift_table(h, d);
  html::write_events(h, d);
  html::write_allowlist(h, d);
  write_skips(h, d);
  h << "<footer>Generated by <code>ftorch report</code> from ledger <code>"
    << escape_markup(d.ledger_path) << "</code>.</footer>\n</body>\n</html>\n";
  return h.str();
}

}  // namespace ft::reports::detail
