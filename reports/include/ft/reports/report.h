// Parity reports generated from the ledger: Markdown, JSON, HTML, JUnit XML.
#pragma once

#include <string>
#include <vector>

#include "ft/ledger/ledger.h"

namespace ft::reports {

struct ReportFiles {
  std::string markdown, json, html, junit;  // paths written
};

// Writes summary.md, summary.json, index.html (self-contained: inline CSS and
// SVG, no network) and junit.xml for `run_id` into `out_dir` (created if
// missing). Throws ft::Error when the run does not exist or a file cannot be written.
ReportFiles write_reports(ft::ledger::Ledger& ledger, int64_t run_id, const std::string& out_dir);

}  // namespace ft::reports
