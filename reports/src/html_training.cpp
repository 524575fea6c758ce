// The training section of index.html: one small chart per training trace
// (engine vs libtorch trained from one seed), the relative loss drift and the
// relative parameter drift against the step on a log scale, with the trace's
// bound as a dashed line, so a drift that grows with training is visible at a
// glance and one that jumps at a step points at that step's cases.
#include <algorithm>
#include <cmath>
#include <string>

#include "html_parts.h"

namespace ft::reports::detail::html {
namespace {

// Drifts below 1e-18 (and exact zeros) sit on the floor: f64 agreement is
// at best ~1e-16 relative, so lower values carry no information.
constexpr double kFloor = 1e-18, kCeil = 1.0;
constexpr const char* kLossColour = "#0969da";
constexpr const char* kParamColour = "#bc4c00";

double log_pos(double v) {
  if (std::isnan(v) || v >= kCeil) return std::log10(kCeil);
  return std::log10(std::max(v, kFloor));
}

void polyline(std::ostringstream& h, const ReportData& d, const TraceSummary& r, double ft::ledger::TrainingPoint::*field,
              const char* colour, int left, int top, int w, int ph, int64_t max_step) {
  const double lo = std::log10(kFloor), hi = std::log10(kCeil);
  h << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"1.5\" points=\"";
  for (size_t i = r.begin; i < r.end; ++i) {
    const auto& p = d.training[i];
    double x = left + (max_step > 0 ? double(w) * double(p.step) / double(max_step) : 0.0);
    double y = top + ph * (hi - log_pos(p.*field)) / (hi - lo);
    h << static_cast<int>(std::lround(x)) << "," << static_cast<int>(std::lround(y)) << " ";
  }
  h << "\"/>\n";
}

}  // namespace

void write_training_charts(std::ostringstream& h, const ReportData& d) {
  h << "<section>\n<h2>Training traces: engine vs libtorch drift per step</h2>\n";
  if (d.training.empty()) {
    h << "<p>The ledger has no training run: <code>ftorch conform --suite training --ledger "
      << escape_markup(d.ledger_path) << "</code> records one.</p>\n</section>\n";
    return;
  }
  h << "<p class=\"legend\">Run " << d.training_run
    << (d.training_run == d.run.id ? " (this run)" : " (the ledger's newest training run)") << ". "
    << "<span style=\"background:" << kLossColour << ";color:#fff\">loss drift</span>"
    << "<span style=\"background:" << kParamColour << ";color:#fff\">parameter drift</span>"
    << " relative, log scale; dashed: the trace's bound; values under 1e-18 (and exact agreement) on the floor.</p>\n";
  h << "<div class=\"charts\">\n";
  const int left = 44, top = 8, w = 300, ph = 120, width = left + w + 10, height = top + ph + 24;
  const double lo = std::log10(kFloor), hi = std::log10(kCeil);
  for (const TraceSummary& r : training_traces(d)) {
    const auto& first = d.training[r.begin];
    const int64_t max_step = r.last_step, failing = r.over_bound;
    std::string name = escape_markup(first.trace + " " + first.dtype);
    h << "<figure class=\"hist training\" data-status=\"" << (failing ? "drift" : "pass") << "\"><figcaption><b>" << name
      << "</b> — " << (r.end - r.begin) << " steps, "
      << (failing ? "<span class=\"s-drift\">" + std::to_string(failing) + " over the bound</span>"
                  : std::string("within the bound"))
      << "<br/>bound " << format_number(first.bound) << ", worst loss drift " << format_number(r.worst_loss)
      << ", worst parameter drift " << format_number(r.worst_param) << "</figcaption>\n";
    h << "<svg role=\"img\" aria-label=\"drift per step of " << name << "\" width=\"" << width << "\" height=\""
      << height << "\" viewBox=\"0 0 " << width << " " << height
      << "\" font-family=\"system-ui,sans-serif\" font-size=\"10\">\n";
    for (int e = static_cast<int>(lo); e <= static_cast<int>(hi); e += 6) {  // gridlines 1e-18, 1e-12, 1e-6, 1
      int y = top + static_cast<int>(ph * (hi - e) / (hi - lo));
      h << "<line x1=\"" << left << "\" y1=\"" << y << "\" x2=\"" << left + w << "\" y2=\"" << y
        << "\" stroke=\"#d0d7de\"/><text x=\"" << left - 4 << "\" y=\"" << y + 3
        << "\" text-anchor=\"end\" fill=\"#59636e\">1e" << e << "</text>\n";
    }
    if (first.bound > 0) {
      int y = top + static_cast<int>(ph * (hi - log_pos(first.bound)) / (hi - lo));
      h << "<line class=\"bound\" x1=\"" << left << "\" y1=\"" << y << "\" x2=\"" << left + w << "\" y2=\"" << y
        << "\" stroke=\"#cf222e\" stroke-dasharray=\"4 3\"/>\n";
    }
    polyline(h, d, r, &ft::ledger::TrainingPoint::loss_drift, kLossColour, left, top, w, ph, max_step);
    polyline(h, d, r, &ft::ledger::TrainingPoint::param_drift, kParamColour, left, top, w, ph, max_step);
    h << "<text x=\"" << left << "\" y=\"" << top + ph + 16 << "\" fill=\"#59636e\">step 0</text><text x=\""
      << left + w << "\" y=\"" << top + ph + 16 << "\" text-anchor=\"end\" fill=\"#59636e\">" << max_step
      << "</text>\n</svg></figure>\n";
  }
  h << "</div>\n</section>\n";
}

}  // namespace ft::reports::detail::html
