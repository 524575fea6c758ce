// The hardened-events and allowlist tables of index.html.
#include <algorithm>
#include <string>

#include "html_parts.h"

namespace ft::reports::detail::html {
namespace {

// A page with 10^5 events is unreadable and slow to open; summary.json has them all.
constexpr size_t kMaxEventRows = 2000;

bool has_failure_row(const ReportData& d, int64_t case_id) {
  auto it = std::lower_bound(d.failures.begin(), d.failures.end(), case_id,
                             [](const Failure& f, int64_t id) { return f.row.id < id; });
  return it != d.failures.end() && it->row.id == case_id;  // failures are sorted by id
}

}  // namespace

void write_events(std::ostringstream& h, const ReportData& d) {
  h << "<section>\n<h2>Hardened events</h2>\n";
  if (d.events.empty()) {
    h << "<p>No hardened-mode events were recorded for this run.</p>\n</section>\n";
    return;
  }
  h << "<p>" << d.events.size() << " events.</p>\n<table class=\"events\">\n<thead><tr><th>op"
    << "</th><th>dtype</th><th>reason</th><th>detail</th><th>case</th></tr></thead>\n<tbody>\n";
  size_t shown = std::min(d.events.size(), kMaxEventRows);
  for (size_t i = 0; i < shown; ++i) {
    const ft::ledger::EventRow& e = d.events[i];
    h << "<tr><td>" << escape_markup(e.op) << "</td><td>" << escape_markup(e.dtype)
      << "</td><td><code>" << escape_markup(e.reason) << "</code></td><td>"
      << escape_markup(e.detail) << "</td><td class=\"num\">";
    // Link to the drift table when the case is listed there.
    if (e.case_id == 0)
      h << "—";
    else if (has_failure_row(d, e.case_id))
      h << "<a href=\"#case-" << e.case_id << "\">" << e.case_id << "</a>";
    else
      h << e.case_id;
    h << "</td></tr>\n";
  }
  h << "</tbody>\n</table>\n";
  if (shown < d.events.size())
    h << "<p>" << d.events.size() - shown << " more events are listed in summary.json.</p>\n";
  h << "</section>\n";
}

void write_allowlist(std::ostringstream& h, const ReportData& d) {
  if (!d.has_allowlist) return;
  h << "<section>\n<h2>Allowlist</h2>\n";
  if (d.allow.empty()) {
    h << "<p>The allowlist is empty.</p>\n</section>\n";
    return;
  }
  h << "<p>" << d.totals.allowed << " failing cases are covered by the allowlist; they are "
    << "marked <span class=\"badge\">allowed</span> in the drift table. An entry covering 0 "
    << "cases may be stale.</p>\n<table class=\"allowlist\">\n<thead><tr><th>op</th><th>dtype"
    << "</th><th>suite</th><th>reason</th><th>attribution</th><th>approved by</th><th>cases "
    << "covered</th></tr></thead>\n<tbody>\n";
  auto any = [](const std::string& v) { return v.empty() ? std::string("*") : v; };
  for (size_t i = 0; i < d.allow.size(); ++i) {
    const AllowEntry& e = d.allow[i];
    h << "<tr><td>" << escape_markup(e.op) << "</td><td>" << escape_markup(any(e.dtype))
      << "</td><td>" << escape_markup(any(e.suite)) << "</td><td>" << escape_markup(e.reason)
      << "</td><td>" << escape_markup(e.attribution) << "</td><td>" << escape_markup(e.approved_by)
      << "</td><td class=\"num\">" << d.allow_hits[i] << "</td></tr>\n";
  }
  h << "</tbody>\n</table>\n</section>\n";
}

}  // namespace ft::reports::detail::html
