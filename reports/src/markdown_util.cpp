// Markdown escaping shared by the summary.md renderers (see markdown_util.h).
#include "markdown_util.h"

#include <algorithm>

#include "report_data.h"

namespace ft::reports::detail {

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
std::string md_code(std::string_view s, bool in_table) {
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

}  // namespace ft::reports::detail
