// The trend section of index.html: non-pass cases per run across the whole
// ledger, as stacked bars (one per run id, oldest left), with the reported
// run highlighted, so a regression shows up as a step between two runs.
#include <algorithm>
#include <array>
#include <string>

#include "html_parts.h"

namespace ft::reports::detail::html {
namespace {

// Enough history to see a trend without a page-wide SVG; summary.json has all runs.
constexpr size_t kMaxRuns = 200;

struct Segment {
  const char* name;
  const char* colour;
  int64_t ft::ledger::TrendPoint::*count;
};
// Bottom to top: the worst outcomes sit on the baseline where they are easiest to compare.
constexpr std::array<Segment, 4> kSegments = {{
    {"crash", "#82071e", &ft::ledger::TrendPoint::crash},
    {"error_mismatch", "#cf222e", &ft::ledger::TrendPoint::error_mismatch},
    {"drift", "#d4a72c", &ft::ledger::TrendPoint::drift},
    {"skip", "#8c959f", &ft::ledger::TrendPoint::skip},
}};

}  // namespace

void write_trend_chart(std::ostringstream& h, const ReportData& d) {
  h << "<section>\n<h2>Trend: non-pass cases per run</h2>\n";
  size_t first = d.trend.size() > kMaxRuns ? d.trend.size() - kMaxRuns : 0;
  const int n = static_cast<int>(d.trend.size() - first);
  if (n == 0) {
    h << "<p>The ledger has no runs.</p>\n</section>\n";
    return;
  }
  h << "<p class=\"legend\">";
  for (const Segment& s : kSegments)
    h << "<span style=\"background:" << s.colour << ";color:#fff\">" << s.name << "</span>";
  h << " Run " << d.run.id << " (this report) is outlined.";
  if (first > 0) h << " Showing the last " << n << " of " << d.trend.size() << " runs.";
  h << "</p>\n";

  int64_t most = 1;
  for (size_t i = first; i < d.trend.size(); ++i) most = std::max(most, d.trend[i].non_pass());
  const int step = std::clamp(720 / n, 4, 36), bar = std::max(2, step * 3 / 4);
  const int left = 48, top = 10, plot_h = 150, width = left + n * step + 10;
  const int base = top + plot_h, height = base + 22;
  const int label_every = std::max(1, n / 20);
  h << "<svg role=\"img\" aria-label=\"non-pass cases per run\" width=\"" << width
    << "\" height=\"" << height << "\" viewBox=\"0 0 " << width << " " << height
    << "\" font-family=\"system-ui,sans-serif\" font-size=\"11\">\n";
  for (int64_t v : {int64_t{0}, most}) {  // y axis: 0 and the maximum
    int y = base - static_cast<int>(plot_h * v / most);
    h << "<line x1=\"" << left << "\" y1=\"" << y << "\" x2=\"" << width << "\" y2=\"" << y
      << "\" stroke=\"#d0d7de\"/><text x=\"" << left - 4 << "\" y=\"" << y + 4
      << "\" text-anchor=\"end\" fill=\"#59636e\">" << v << "</text>\n";
  }
  for (int i = 0; i < n; ++i) {
    const ft::ledger::TrendPoint& t = d.trend[first + static_cast<size_t>(i)];
    bool current = t.run_id == d.run.id;
    int x = left + i * step + (step - bar) / 2;
    h << "<g class=\"trend-run" << (current ? " current" : "") << "\"><title>run " << t.run_id
      << " (" << escape_markup(t.git_sha.empty() ? "no sha" : t.git_sha) << ", "
      << escape_markup(t.started) << "): " << t.non_pass() << " non-pass — " << t.drift
      << " drift, " << t.error_mismatch << " error_mismatch, " << t.crash << " crash, " << t.skip
      << " skip</title>";
    int y = base;
    for (const Segment& s : kSegments) {
      int64_t c = t.*s.count;
      if (c == 0) continue;
      int seg = std::max(1, static_cast<int>(plot_h * c / most));
      y -= seg;
      h << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << bar << "\" height=\"" << seg
        << "\" fill=\"" << s.colour << "\"/>";
    }
    if (current)
      h << "<rect x=\"" << x - 2 << "\" y=\"" << top << "\" width=\"" << bar + 4 << "\" height=\""
        << plot_h << "\" fill=\"none\" stroke=\"" << kAllowedColour << "\" stroke-width=\"2\"/>";
    if (current || i % label_every == 0)
      h << "<text x=\"" << x + bar / 2 << "\" y=\"" << base + 14 << "\" text-anchor=\"middle\""
        << (current ? " font-weight=\"bold\"" : "") << " fill=\"#59636e\">" << t.run_id << "</text>";
    h << "</g>\n";
  }
  h << "</svg>\n</section>\n";
}

}  // namespace ft::reports::detail::html
