// The benchmark section of index.html (`ftorch bench --ledger` runs): per
// benchmark the speedup over libtorch (libtorch median / engine median, both
// measured interleaved in one process) as a bar on a log2 axis centred on
// 1x, its target as a tick, the medians, and the speedup's history across the
// ledger's bench runs, so a regression reads as a step in the sparkline.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "html_parts.h"

namespace ft::reports::detail::html {
namespace {

constexpr double kMaxLog2 = 3.0;  // the axis spans 1/8x .. 8x; beyond is clamped
constexpr const char* kMeets = "#2da44e";
constexpr const char* kBelow = "#d4a72c";
constexpr size_t kHistory = 40;  // runs shown per sparkline

double clamp_log2(double v) {
  if (!(v > 0)) return -kMaxLog2;
  return std::clamp(std::log2(v), -kMaxLog2, kMaxLog2);
}

std::string format_ns(double ns) {
  char b[32];
  if (std::isnan(ns)) return "-";
  if (ns < 1e3) std::snprintf(b, sizeof b, "%.0f ns", ns);
  else if (ns < 1e6) std::snprintf(b, sizeof b, "%.2f µs", ns / 1e3);
  else std::snprintf(b, sizeof b, "%.2f ms", ns / 1e6);
  return b;
}

void sparkline(std::ostringstream& h, const std::vector<const ft::ledger::PerfRow*>& hist, int64_t current_run) {
  const int w = 120, ht = 22;
  h << "<svg width=\"" << w << "\" height=\"" << ht << "\" viewBox=\"0 0 " << w << " " << ht << "\">";
  int mid = ht / 2;
  h << "<line x1=\"0\" y1=\"" << mid << "\" x2=\"" << w << "\" y2=\"" << mid << "\" stroke=\"#d0d7de\"/>";
  size_t first = hist.size() > kHistory ? hist.size() - kHistory : 0;
  size_t n = hist.size() - first;
  std::string pts;
  for (size_t i = first; i < hist.size(); ++i) {
    double x = n > 1 ? double(w - 4) * double(i - first) / double(n - 1) + 2 : w / 2.0;
    double y = mid - (ht / 2.0 - 2) * clamp_log2(hist[i]->speedup) / kMaxLog2;
    pts += std::to_string(static_cast<int>(std::lround(x))) + "," + std::to_string(static_cast<int>(std::lround(y))) + " ";
    if (hist[i]->run_id == current_run)
      h << "<circle cx=\"" << std::lround(x) << "\" cy=\"" << std::lround(y) << "\" r=\"2.5\" fill=\"#0969da\"/>";
  }
  h << "<polyline fill=\"none\" stroke=\"#59636e\" points=\"" << pts << "\"/><title>speedup in the last " << n
    << " bench runs (middle line: 1x)</title></svg>";
}

}  // namespace

void write_bench(std::ostringstream& h, const ReportData& d) {
  h << "<section>\n<h2>Benchmarks: engine vs libtorch</h2>\n";
  if (d.perf.empty()) {
    h << "<p>The ledger has no benchmark run: <code>ftorch bench --ledger " << escape_markup(d.ledger_path)
      << "</code> records one.</p>\n</section>\n";
    return;
  }
  std::map<std::string, std::vector<const ft::ledger::PerfRow*>> history;  // by bench, oldest run first
  for (const auto& p : d.perf_history) history[p.bench].push_back(&p);
  int meets = 0;
  for (const auto& p : d.perf) meets += p.speedup >= p.target ? 1 : 0;
  h << "<p>Run " << d.perf_run << (d.perf_run == d.run.id ? " (this run)" : " (the ledger's newest bench run)") << ", "
    << d.perf.front().threads << " thread(s): " << meets << " of " << d.perf.size()
    << " benchmarks meet their target. Speedup = libtorch median / engine median, both sides interleaved in one "
       "process; bars on a log2 axis from 1/8x to 8x, the black tick is the target. These machines are shared: "
       "compare medians across runs, not single samples.</p>\n";
  h << "<table class=\"bench\">\n<thead><tr><th>benchmark</th><th>speedup</th><th>engine p50</th><th>libtorch p50"
       "</th><th>engine p99</th><th>libtorch p99</th><th>samples</th><th>history</th></tr></thead>\n<tbody>\n";
  const int bw = 220, bh = 16, centre = bw / 2;
  for (const auto& p : d.perf) {
    bool ok = p.speedup >= p.target;
    double x_val = centre + (bw / 2.0) * clamp_log2(p.speedup) / kMaxLog2;
    double x_target = centre + (bw / 2.0) * clamp_log2(p.target) / kMaxLog2;
    int x0 = static_cast<int>(std::lround(std::min<double>(centre, x_val)));
    int x1 = static_cast<int>(std::lround(std::max<double>(centre, x_val)));
    std::string name = escape_markup(p.bench);
    h << "<tr class=\"bench-row " << (ok ? "meets" : "below") << "\"><td>" << name << "</td><td><svg width=\"" << bw
      << "\" height=\"" << bh << "\" viewBox=\"0 0 " << bw << " " << bh << "\"><rect x=\"" << x0
      << "\" y=\"3\" width=\"" << std::max(1, x1 - x0) << "\" height=\"" << bh - 6 << "\" fill=\""
      << (ok ? kMeets : kBelow) << "\"/><line x1=\"" << centre << "\" y1=\"0\" x2=\"" << centre << "\" y2=\"" << bh
      << "\" stroke=\"#8c959f\"/><line x1=\"" << std::lround(x_target) << "\" y1=\"0\" x2=\"" << std::lround(x_target)
      << "\" y2=\"" << bh << "\" stroke=\"#1f2328\" stroke-width=\"2\"/><title>" << name << ": "
      << format_number(p.speedup) << "x (target " << format_number(p.target) << "x)</title></svg> "
      << format_number(p.speedup) << "x" << (ok ? "" : " <small>(target " + format_number(p.target) + "x)</small>")
      << "</td><td class=\"num\">" << format_ns(p.engine_p50_ns) << "</td><td class=\"num\">"
      << format_ns(p.oracle_p50_ns) << "</td><td class=\"num\">" << format_ns(p.engine_p99_ns)
      << "</td><td class=\"num\">" << format_ns(p.oracle_p99_ns) << "</td><td class=\"num\">" << p.samples
      << "</td><td>";
    sparkline(h, history[p.bench], d.perf_run);
    h << "</td></tr>\n";
  }
  h << "</tbody></table>\n</section>\n";
}

}  // namespace ft::reports::detail::html
