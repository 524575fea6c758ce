// Parity reports generated from the ledger: Markdown, JSON, HTML, JUnit XML.
#pragma once

#include <string>
#include <vector>

#include "ft/ledger/ledger.h"

namespace ft::reports {

struct ReportFiles {
  std::string markdown, json, html, junit;  // paths written
};

// One allowlist entry: a known, explained divergence. It covers a failing case
// (drift, error_mismatch or crash) with this op whose dtype and suite match,
// "" or "*" matching any, exactly like `ftorch gate` (cli/src/budget_file.h).
// reason, attribution and approved_by are shown, not matched.
struct AllowEntry {
  std::string op, dtype, suite, reason, attribution, approved_by;
};

// Writes summary.md, summary.json, index.html (self-contained: inline CSS and
// SVG, no network) and junit.xml for `run_id` into `out_dir` (created if
// missing). Throws ft::Error when the run does not exist or a file cannot be written.
ReportFiles write_reports(ft::ledger::Ledger& ledger, int64_t run_id, const std::string& out_dir);

// The same, with an allowlist (nullptr: none). Covered cases are still listed,
// marked "allowed"; they do not fail the verdict nor the JUnit testcase.
ReportFiles write_reports(ft::ledger::Ledger& ledger, int64_t run_id, const std::string& out_dir,
                          const std::vector<AllowEntry>* allow);

}  // namespace ft::reports
