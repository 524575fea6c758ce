// The ULP sections of index.html: the worst ULP error per op (one log-scale
// bar each) and, per op, a histogram of max_ulp over its float-dtype cases
// (ledger::kUlpBuckets), so a report tells one 10^6-ULP outlier from an op
// that is off by a few ULP everywhere.
#include <algorithm>
#include <cmath>
#include <string>

#include "html_parts.h"

namespace ft::reports::detail::html {

// Horizontal bars, one per op: log10(1 + worst ulp over its dtypes), so 0 ULP
// is an empty bar and each decade is the same width.
void write_ulp_chart(std::ostringstream& h, const ReportData& d) {
  h << "<section>\n<h2>Worst ULP error per op (log scale)</h2>\n";
  if (d.ops.empty()) {
    h << "<p>No cases were recorded for this run.</p>\n</section>\n";
    return;
  }
  std::vector<double> worst(d.ops.size(), 0.0);
  size_t longest_name = 4;
  for (size_t i = 0; i < d.ops.size(); ++i) {
    for (const auto& s : d.cells)
      if (s.op == d.ops[i] && !std::isnan(s.worst_ulp)) worst[i] = std::max(worst[i], s.worst_ulp);
    longest_name = std::max(longest_name, d.ops[i].size());
  }
  double max_finite = 0;
  for (double w : worst)
    if (std::isfinite(w)) max_finite = std::max(max_finite, w);
  int decades = std::max(1, static_cast<int>(std::ceil(std::log10(1.0 + max_finite))));

  const int row_h = 20, top = 8,
            label_w = static_cast<int>(std::min<size_t>(longest_name, 32)) * 7 + 12;
  const int chart_w = 480, value_w = 70;
  const int height = top + static_cast<int>(d.ops.size()) * row_h + 28;
  const int width = label_w + chart_w + value_w;
  h << "<svg role=\"img\" aria-label=\"worst ULP error per op\" width=\"" << width << "\" height=\""
    << height << "\" viewBox=\"0 0 " << width << " " << height
    << "\" font-family=\"system-ui,sans-serif\" font-size=\"12\">\n";
  const int axis_y = top + static_cast<int>(d.ops.size()) * row_h;
  for (int k = 0; k <= decades; ++k) {  // gridlines at 0, 9, 99, ... i.e. 1+ulp = 10^k
    int x = label_w + chart_w * k / decades;
    h << "<line x1=\"" << x << "\" y1=\"" << top << "\" x2=\"" << x << "\" y2=\"" << axis_y
      << "\" stroke=\"#d0d7de\"/>"
      << "<text x=\"" << x << "\" y=\"" << axis_y + 16
      << "\" text-anchor=\"middle\" fill=\"#59636e\">"
      << (k == 0 ? std::string("0") : "1e" + std::to_string(k)) << "</text>\n";
  }
  for (size_t i = 0; i < d.ops.size(); ++i) {
    double w = worst[i];
    double frac = std::isinf(w) ? 1.0 : std::log10(1.0 + w) / decades;
    int y = top + static_cast<int>(i) * row_h;
    int bar = static_cast<int>(std::lround(frac * chart_w));
    std::string name = escape_markup(d.ops[i]);
    h << "<text x=\"" << label_w - 6 << "\" y=\"" << y + 14 << "\" text-anchor=\"end\">" << name
      << "</text>";
    h << "<rect class=\"ulp-bar\" x=\"" << label_w << "\" y=\"" << y + 3 << "\" width=\"" << std::max(bar, 1)
      << "\" height=\"" << row_h - 6 << "\" fill=\"" << status_colour(d.op_status(d.ops[i]))
      << "\"><title>" << name << ": worst " << format_number(w) << " ULP</title></rect>";
    h << "<text x=\"" << label_w + std::max(bar, 1) + 4 << "\" y=\"" << y + 14 << "\">"
      << format_number(w) << "</text>\n";
  }
  h << "</svg>\n</section>\n";
}

namespace {

// Green where the oracle comparison is exact or at rounding level, warming
// up to red for wrong and non-finite results.
constexpr std::array<const char*, ft::ledger::kUlpBuckets.size()> kBucketColour = {
    "#2da44e", "#4ac26b", "#bf8700", "#d4a72c", "#e16f24", "#cf222e", "#82071e"};

void write_histogram(std::ostringstream& h, const OpHistogram& oh) {
  constexpr int kBarW = 44, kGap = 6, kPlotH = 90, kTop = 16, kLabelH = 18;
  const int n = static_cast<int>(oh.counts.size());
  const int width = n * (kBarW + kGap) + kGap, height = kTop + kPlotH + kLabelH;
  int64_t total = 0, most = 0;
  for (int64_t c : oh.counts) total += c, most = std::max(most, c);
  std::string dtypes;
  for (const auto& dt : oh.dtypes) dtypes += (dtypes.empty() ? "" : ", ") + dt;
  std::string name = escape_markup(oh.op);
  h << "<figure class=\"hist\"><figcaption><b>" << name << "</b> — " << escape_markup(dtypes)
    << " — " << total << " cases</figcaption>\n<svg role=\"img\" aria-label=\"max ULP histogram of "
    << name << "\" width=\"" << width << "\" height=\"" << height << "\" viewBox=\"0 0 " << width
    << " " << height << "\" font-family=\"system-ui,sans-serif\" font-size=\"11\">\n";
  const int base = kTop + kPlotH;
  h << "<line x1=\"0\" y1=\"" << base << "\" x2=\"" << width << "\" y2=\"" << base
    << "\" stroke=\"#d0d7de\"/>\n";
  // Log heights: a bucket of 1 next to one of 10^5 must still be visible.
  // The exact count is printed above every bar.
  double scale = std::log10(1.0 + static_cast<double>(most));
  for (int b = 0; b < n; ++b) {
    int64_t c = oh.counts[static_cast<size_t>(b)];
    int x = kGap + b * (kBarW + kGap);
    int bar = c == 0 ? 0
                     : std::max(2, static_cast<int>(std::lround(
                                       kPlotH * std::log10(1.0 + static_cast<double>(c)) / scale)));
    std::string label(ft::ledger::kUlpBuckets[static_cast<size_t>(b)]);
    if (c > 0)
      h << "<rect class=\"hbar\" x=\"" << x << "\" y=\"" << base - bar << "\" width=\"" << kBarW
        << "\" height=\"" << bar << "\" fill=\"" << kBucketColour[static_cast<size_t>(b)]
        << "\"><title>" << name << ": " << c << " cases with max ULP " << escape_markup(label)
        << "</title></rect>";
    h << "<text x=\"" << x + kBarW / 2 << "\" y=\"" << base - bar - 3
      << "\" text-anchor=\"middle\" fill=\"#1f2328\">" << c << "</text>"
      << "<text x=\"" << x + kBarW / 2 << "\" y=\"" << base + 13
      << "\" text-anchor=\"middle\" fill=\"#59636e\">" << escape_markup(label) << "</text>\n";
  }
  h << "</svg></figure>\n";
}

}  // namespace

void write_ulp_histograms(std::ostringstream& h, const ReportData& d) {
  h << "<section>\n<h2>Max ULP error histogram per op (float dtypes)</h2>\n";
  if (d.histograms.empty()) {
    h << "<p>No float-dtype case was compared numerically in this run.</p>\n</section>\n";
    return;
  }
  h << "<p>Passing and drifting cases of float dtypes, bucketed by their max ULP error "
       "(bar heights on a log scale; the count is above each bar).</p>\n<div class=\"charts\">\n";
  for (const OpHistogram& oh : d.histograms) write_histogram(h, oh);
  h << "</div>\n</section>\n";
}

}  // namespace ft::reports::detail::html
