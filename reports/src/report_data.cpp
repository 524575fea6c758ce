// Loads one run's report data from the ledger (see report_data.h).
#include "report_data.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <map>
#include <tuple>

#include "ft/error.h"

namespace ft::reports::detail {

using ft::ledger::OpSummary;

namespace {

// Columns read best in the order people think of dtypes, not alphabetically.
constexpr std::array<std::string_view, 16> kDtypeOrder = {
    "bool",    "uint8",   "int8",      "int16",     "int32",      "int64", "float16", "bfloat16",
    "float32", "float64", "complex32", "complex64", "complex128", "f16",   "f32",     "f64"};

size_t dtype_rank(const std::string& d) {
  auto it = std::find(kDtypeOrder.begin(), kDtypeOrder.end(), d);
  return static_cast<size_t>(it - kDtypeOrder.begin());  // unknown: size(), after all known
}

}  // namespace

bool is_float_dtype(std::string_view d) {
  for (std::string_view prefix : {"float", "bfloat", "complex"})
    if (d.substr(0, prefix.size()) == prefix) return true;
  for (std::string_view alias : {"half", "double", "bf16", "f16", "f32", "f64", "c64", "c128"})
    if (d == alias) return true;
  return false;
}

Status status_of(const OpSummary& s) {
  if (s.error_mismatch > 0 || s.crashed > 0) return Status::Fail;
  if (s.drifted > 0) return Status::Drift;
  if (s.passed > 0) return Status::Pass;
  return Status::NotRun;
}

const char* status_name(Status s) {
  switch (s) {
    case Status::Pass:
      return "pass";
    case Status::Drift:
      return "drift";
    case Status::Fail:
      return "fail";
    case Status::NotRun:
      return "not_run";
  }
  return "not_run";
}

const OpSummary* ReportData::cell(const std::string& op, const std::string& dtype) const {
  for (const OpSummary& s : cells)
    if (s.op == op && s.dtype == dtype) return &s;
  return nullptr;
}

int64_t ReportData::first_failure(const std::string& op, const std::string& dtype) const {
  for (const Failure& f : failures)  // sorted by id: the first match is the lowest
    if (f.row.op == op && f.row.dtype == dtype) return f.row.id;
  return 0;
}

int64_t ReportData::allowed_in(const std::string& op, const std::string& dtype) const {
  int64_t n = 0;
  for (const Failure& f : failures) n += f.allowed() && f.row.op == op && f.row.dtype == dtype;
  return n;
}

Status ReportData::op_status(const std::string& op) const {
  Status worst = Status::NotRun;
  auto rank = [](Status s) {
    return s == Status::Fail ? 3 : s == Status::Drift ? 2 : s == Status::Pass ? 1 : 0;
  };
  for (const OpSummary& s : cells)
    if (s.op == op && rank(status_of(s)) > rank(worst)) worst = status_of(s);
  return worst;
}

ReportData load_report_data(ft::ledger::Ledger& ledger, int64_t run_id,
                            const std::vector<AllowEntry>* allow) {
  ReportData d;
  d.ledger_path = ledger.path();
  auto run = ledger.run(run_id);
  FT_CHECK(run.has_value(), "run ", run_id, " is not in ledger ", ledger.path(),
           ": list the runs with `ftorch ledger runs --ledger ", ledger.path(), "`");
  d.run = *run;
  d.cells = ledger.summary(run_id);

  for (const OpSummary& s : d.cells) {
    d.totals.cases += s.cases;
    d.totals.passed += s.passed;
    d.totals.drifted += s.drifted;
    d.totals.error_mismatch += s.error_mismatch;
    d.totals.crashed += s.crashed;
    d.totals.skipped += s.skipped;
    if (d.ops.empty() || d.ops.back() != s.op) d.ops.push_back(s.op);  // cells sorted by op
    if (std::find(d.dtypes.begin(), d.dtypes.end(), s.dtype) == d.dtypes.end())
      d.dtypes.push_back(s.dtype);
  }
  std::sort(d.dtypes.begin(), d.dtypes.end(), [](const std::string& a, const std::string& b) {
    return std::make_tuple(dtype_rank(a), a) < std::make_tuple(dtype_rank(b), b);
  });

  // Query by outcome (indexed) rather than loading every passing case.
  std::vector<ft::ledger::CaseRow> failing;
  for (const char* outcome : {"drift", "error_mismatch", "crash"}) {
    auto rows = ledger.cases(run_id, outcome);
    std::move(rows.begin(), rows.end(), std::back_inserter(failing));
  }
  std::sort(failing.begin(), failing.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  std::vector<ft::ledger::DriftRow> drifts = ledger.drifts(run_id);  // sorted by case id
  size_t next_drift = 0;
  for (ft::ledger::CaseRow& c : failing) {
    while (next_drift < drifts.size() && drifts[next_drift].case_id < c.id) ++next_drift;
    Failure f{std::move(c), std::nullopt};
    if (next_drift < drifts.size() && drifts[next_drift].case_id == f.row.id)
      f.drift = drifts[next_drift];
    d.failures.push_back(std::move(f));
  }

  std::map<std::tuple<std::string, std::string, std::string>, int64_t> skip_counts;
  for (const ft::ledger::CaseRow& c : ledger.cases(run_id, "skip"))
    ++skip_counts[{c.op, c.dtype, c.skip_reason}];
  for (auto& [key, count] : skip_counts)
    d.skips.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), count});

  // Integer dtypes are exact (0 ULP or wrong): only float histograms say anything.
  for (const ft::ledger::UlpHistogram& h : ledger.ulp_histogram(run_id)) {  // by op, dtype
    if (!is_float_dtype(h.dtype)) continue;
    if (d.histograms.empty() || d.histograms.back().op != h.op) d.histograms.push_back({h.op, {}, {}});
    OpHistogram& oh = d.histograms.back();
    oh.dtypes.push_back(h.dtype);
    for (size_t b = 0; b < h.counts.size(); ++b) oh.counts[b] += h.counts[b];
  }
  for (OpHistogram& oh : d.histograms)
    std::sort(oh.dtypes.begin(), oh.dtypes.end(), [](const std::string& a, const std::string& b) {
      return std::make_tuple(dtype_rank(a), a) < std::make_tuple(dtype_rank(b), b);
    });
  d.trend = ledger.trend();
  d.events = ledger.events(run_id);
  d.training = ledger.training_points(run_id);
  d.training_run = d.training.empty() ? ledger.latest_run_of_suite("training") : run_id;
  if (d.training.empty() && d.training_run != 0) d.training = ledger.training_points(d.training_run);
  d.perf = ledger.perf(run_id);
  d.perf_run = d.perf.empty() ? ledger.latest_perf_run() : run_id;
  if (d.perf.empty() && d.perf_run != 0) d.perf = ledger.perf(d.perf_run);
  d.perf_history = ledger.perf_history();
  if (allow) apply_allowlist(d, *allow);
  return d;
}

std::vector<TraceSummary> training_traces(const ReportData& d) {
  std::vector<TraceSummary> out;
  for (size_t i = 0; i < d.training.size(); ++i) {
    const auto& p = d.training[i];
    if (out.empty() || d.training[out.back().begin].trace != p.trace || d.training[out.back().begin].dtype != p.dtype)
      out.push_back({i, i});
    TraceSummary& t = out.back();
    t.end = i + 1;
    t.last_step = std::max(t.last_step, p.step);
    t.over_bound += p.pass ? 0 : 1;
    for (auto [v, worst] : {std::pair{p.loss_drift, &t.worst_loss}, std::pair{p.param_drift, &t.worst_param}})
      if (!std::isnan(*worst) && !(v <= *worst)) *worst = v;  // a NaN drift is the worst and stays
  }
  return out;
}

}  // namespace ft::reports::detail
