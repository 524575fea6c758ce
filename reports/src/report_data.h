// What every report format shows, loaded once from the ledger, plus the small
// helpers (escaping, number formatting, cell status) the renderers share.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ft/ledger/ledger.h"
#include "ft/reports/report.h"

namespace ft::reports::detail {

// A case that failed (drift, error_mismatch or crash) and its drift detail.
struct Failure {
  ft::ledger::CaseRow row;
  std::optional<ft::ledger::DriftRow> drift;
  int allowed_by = -1;  // index into ReportData::allow of the first covering entry
  bool allowed() const { return allowed_by >= 0; }
};

// max_ulp distribution of one op over its float dtypes (ledger::kUlpBuckets).
struct OpHistogram {
  std::string op;
  std::vector<std::string> dtypes;
  std::array<int64_t, ft::ledger::kUlpBuckets.size()> counts{};
};

// True for floating-point (and complex) dtype names, whose ULP errors mean something.
bool is_float_dtype(std::string_view dtype);

struct SkipGroup {
  std::string op, dtype, reason;
  int64_t count = 0;
};

struct Totals {
  int64_t cases = 0, passed = 0, drifted = 0, error_mismatch = 0, crashed = 0, skipped = 0;
  int64_t allowed = 0;  // failing cases covered by the allowlist
  int64_t failing() const { return drifted + error_mismatch + crashed; }
  int64_t blocking() const { return failing() - allowed; }  // what fails the verdict
};

// Colour of one op x dtype cell. NOTE [ Report status ]: skips are not
// failures; a cell whose cases were all skipped is NotRun, like an empty one.
enum class Status { Pass, Drift, Fail, NotRun };
Status status_of(const ft::ledger::OpSummary& s);
const char* status_name(Status s);  // "pass" | "drift" | "fail" | "not_run"

struct ReportData {
  std::string ledger_path;
  ft::ledger::RunRow run;
  std::vector<ft::ledger::OpSummary> cells;  // ordered by op, dtype
  std::vector<std::string> ops;              // sorted
  std::vector<std::string> dtypes;           // conventional dtype order, unknown ones last
  std::vector<Failure> failures;             // by case id
  std::vector<SkipGroup> skips;              // by op, dtype, reason
  std::vector<OpHistogram> histograms;       // ops with a float dtype, by op
  std::vector<ft::ledger::TrendPoint> trend; // every run of the ledger, oldest first
  std::vector<ft::ledger::EventRow> events;  // this run's events, by id
  // Training traces and benchmarks are runs of their own (conform --suite
  // training, bench --ledger): the report shows this run's if it has them,
  // else the ledger's newest; training_run / perf_run say which (0: none).
  int64_t training_run = 0;
  std::vector<ft::ledger::TrainingPoint> training;  // by trace, dtype, step
  int64_t perf_run = 0;
  std::vector<ft::ledger::PerfRow> perf;             // perf_run's benchmarks
  std::vector<ft::ledger::PerfRow> perf_history;     // every perf row, by run id
  bool has_allowlist = false;                // one was passed (possibly empty)
  std::vector<AllowEntry> allow;
  std::vector<int64_t> allow_hits;           // failing cases each entry covers (first match)
  Totals totals;

  const ft::ledger::OpSummary* cell(const std::string& op, const std::string& dtype) const;
  // The lowest failing case id for (op, dtype), 0 when none failed.
  int64_t first_failure(const std::string& op, const std::string& dtype) const;
  // Status of a whole op, over all dtypes (the worst cell).
  Status op_status(const std::string& op) const;
  // Failing cases of (op, dtype) covered by the allowlist.
  int64_t allowed_in(const std::string& op, const std::string& dtype) const;
};

// Throws ft::Error when the run is not in the ledger. `allow` may be null.
ReportData load_report_data(ft::ledger::Ledger& ledger, int64_t run_id,
                            const std::vector<AllowEntry>* allow = nullptr);

// Allowlist matching (allowlist.cpp): the same rule as `ftorch gate`.
bool allow_matches(const AllowEntry& e, const ft::ledger::CaseRow& c);
// Marks d.failures covered by `allow`, fills allow_hits and totals.allowed.
void apply_allowlist(ReportData& d, const std::vector<AllowEntry>& allow);

// `ftorch replay <id> --ledger <path>`, the path shell-quoted when needed.
std::string replay_command(int64_t case_id, const std::string& ledger_path);

// A case's attribution for display: "-" when none was computed.
std::string attribution_label(const std::string& attribution);

// "nan", "inf", "-inf" or a short %.4g rendering.
std::string format_number(double v);

// Valid UTF-8 with invalid bytes replaced by U+FFFD and C0 controls other
// than \t \n \r dropped (XML 1.0 forbids them; harmless for HTML).
std::string sanitize_text(std::string_view s);
// &, <, >, " and ' escaped, after sanitize_text: safe in HTML/XML text and attributes.
std::string escape_markup(std::string_view s);

// One training trace of d.training: its points are [begin, end) (one trace
// and dtype); worst_* are the largest drifts (NaN when any step was NaN).
struct TraceSummary {
  size_t begin = 0, end = 0;
  int64_t last_step = 0, over_bound = 0;
  double worst_loss = 0, worst_param = 0;
};
std::vector<TraceSummary> training_traces(const ReportData& d);

// Renderers, one per file.
std::string render_markdown(const ReportData& d);
std::string render_json(const ReportData& d);
std::string render_html(const ReportData& d);
std::string render_junit(const ReportData& d);

}  // namespace ft::reports::detail
