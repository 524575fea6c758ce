// The allowlist in reports: which failing cases a known, explained divergence
// covers. The rule must stay the one `ftorch gate` applies (AllowRule::matches
// in cli/src/budget_file.cpp), or a report would call "allowed" what the gate
// fails, or the reverse.
#include "report_data.h"

namespace ft::reports::detail {

bool allow_matches(const AllowEntry& e, const ft::ledger::CaseRow& c) {
  auto any = [](const std::string& v) { return v.empty() || v == "*"; };
  return e.op == c.op && (any(e.dtype) || e.dtype == c.dtype) && (any(e.suite) || e.suite == c.suite);
}

void apply_allowlist(ReportData& d, const std::vector<AllowEntry>& allow) {
  d.has_allowlist = true;
  d.allow = allow;
  d.allow_hits.assign(allow.size(), 0);
  for (Failure& f : d.failures) {
    for (size_t i = 0; i < allow.size(); ++i) {
      if (!allow_matches(allow[i], f.row)) continue;
      f.allowed_by = static_cast<int>(i);  // the first entry wins: one case, one attribution
      ++d.allow_hits[i];
      ++d.totals.allowed;
      break;
    }
  }
}

}  // namespace ft::reports::detail
