// Markdown escaping and the secondary sections of summary.md, shared by
// markdown.cpp and markdown_sections.cpp. Every string from the ledger or the allowlist goes
// through md_text or md_code, so it renders literally and cannot break a table.
#pragma once

#include <cstddef>
#include <sstream>
#include <string>
#include <string_view>

#include "report_data.h"

namespace ft::reports::detail {

// sanitize_text, with newlines and tabs turned into spaces (a table row is one line).
std::string one_line(std::string_view s);
// Plain text with Markdown/HTML punctuation backslash-escaped.
std::string md_text(std::string_view s);
// An inline code span ("" for an empty string); `in_table` also escapes '|'.
std::string md_code(std::string_view s, bool in_table = true);
// At most `n` bytes plus "…", cut at a UTF-8 character boundary.
std::string truncate(std::string s, size_t n);

// Sections of summary.md (markdown_sections.cpp).
void write_md_events(std::ostringstream& md, const ReportData& d);
void write_md_allowlist(std::ostringstream& md, const ReportData& d);
void write_md_trend(std::ostringstream& md, const ReportData& d);
void write_md_training(std::ostringstream& md, const ReportData& d);
void write_md_bench(std::ostringstream& md, const ReportData& d);

}  // namespace ft::reports::detail
