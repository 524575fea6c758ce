// Ledger queries: runs, per-(op, dtype) summaries, cases, drift detail,
// events and outcome keys.
// Every query flushes first so that it sees the caller's buffered cases.
#include <algorithm>
#include <charconv>

#include "ft/error.h"
#include "ft/ledger/ledger.h"
#include "sqlite_util.h"

namespace ft::ledger {

using detail::Stmt;

namespace {

constexpr const char* kRunColumns =
    "SELECT r.id, r.started, COALESCE(r.finished, ''), r.git_sha, r.engine_version, "
    "r.oracle_version, r.host, r.threads, r.mode, r.suite, r.seed, r.argv, "
    "(SELECT COUNT(*) FROM cases c WHERE c.run_id = r.id), "
    "(SELECT COUNT(*) FROM cases c WHERE c.run_id = r.id AND c.outcome <> 'pass'), "
    "COALESCE(r.uid, '') "
    "FROM runs r ";

constexpr const char* kCaseColumns =
    "SELECT id, run_id, suite, op, variant, dtype, shapes, strides, mode, outcome, skip_reason, "
    "max_abs, max_rel, max_ulp, atol, rtol, seed, reproduce, duration_ms, attribution, provenance "
    "FROM cases ";

constexpr const char* kDriftColumns =
    "SELECT d.case_id, d.message, d.first_index, d.engine_value, d.oracle_value, "
    "d.minimized_case, d.shrink_steps, d.provenance_record FROM drift d ";

RunRow read_run(const Stmt& q, const std::string& path) {
  RunRow r;
  r.id = q.column_int(0);
  r.started = q.column_text(1);
  r.finished = q.column_text(2);
  r.info.git_sha = q.column_text(3);
  r.info.engine_version = q.column_text(4);
  r.info.oracle_version = q.column_text(5);
  r.info.host = q.column_text(6);
  r.info.threads = static_cast<int>(q.column_int(7));
  r.info.mode = q.column_text(8);
  r.info.suite = q.column_text(9);
  r.info.seed = detail::text_to_u64(q.column_text(10), path);
  r.info.argv = q.column_text(11);
  r.cases = q.column_int(12);
  r.non_pass = q.column_int(13);
  r.info.uid = q.column_text(14);
  return r;
}

CaseRow read_case(const Stmt& q, const std::string& path) {
  CaseRow c;
  c.id = q.column_int(0);
  c.run_id = q.column_int(1);
  c.suite = q.column_text(2);
  c.op = q.column_text(3);
  c.variant = q.column_text(4);
  c.dtype = q.column_text(5);
  c.shapes = q.column_text(6);
  c.strides = q.column_text(7);
  c.mode = q.column_text(8);
  c.outcome = q.column_text(9);
  c.skip_reason = q.column_text(10);
  c.max_abs = q.column_double(11);
  c.max_rel = q.column_double(12);
  c.max_ulp = q.column_double(13);
  c.atol = q.column_double(14);
  c.rtol = q.column_double(15);
  c.seed = detail::text_to_u64(q.column_text(16), path);
  c.reproduce = q.column_text(17);
  c.duration_ms = q.column_double(18);
  c.attribution = q.column_text(19);
  c.provenance = q.column_text(20);
  return c;
}

DriftRow read_drift(const Stmt& q) {
  DriftRow d;
  d.case_id = q.column_int(0);
  d.message = q.column_text(1);
  d.first_index = q.column_text(2);
  d.engine_value = q.column_text(3);
  d.oracle_value = q.column_text(4);
  d.minimized_case = q.column_text(5);
  d.shrink_steps = static_cast<int>(q.column_int(6));
  d.provenance_record = q.column_text(7);
  return d;
}

// MAX() skips NULLs (= NaN), so NULL here means no case had a number.
double worst(const Stmt& q, int c) { return q.column_is_null(c) ? 0.0 : q.column_double(c); }

}  // namespace

std::vector<RunRow> Ledger::runs() {
  flush();
  Stmt q(db_, path_, (std::string(kRunColumns) + "ORDER BY r.id").c_str());
  std::vector<RunRow> out;
  while (q.step()) out.push_back(read_run(q, path_));
  return out;
}

std::optional<RunRow> Ledger::run(int64_t run_id) {
  flush();
  Stmt q(db_, path_, (std::string(kRunColumns) + "WHERE r.id = ?").c_str());
  q.bind(1, run_id);
  if (!q.step()) return std::nullopt;
  return read_run(q, path_);
}

int64_t Ledger::latest_run_id() {
  Stmt q(db_, path_, "SELECT COALESCE(MAX(id), 0) FROM runs");
  return q.step() ? q.column_int(0) : 0;
}

std::vector<OpSummary> Ledger::summary(int64_t run_id) {
  flush();
  Stmt q(db_, path_,
         "SELECT op, dtype, COUNT(*), SUM(outcome = 'pass'), SUM(outcome = 'drift'), "
         "SUM(outcome = 'error_mismatch'), SUM(outcome = 'crash'), SUM(outcome = 'skip'), "
         "MAX(max_abs), MAX(max_rel), MAX(max_ulp) "
         "FROM cases WHERE run_id = ? GROUP BY op, dtype ORDER BY op, dtype");
  q.bind(1, run_id);
  std::vector<OpSummary> out;
  while (q.step()) {
    OpSummary s;
    s.op = q.column_text(0);
    s.dtype = q.column_text(1);
    s.cases = q.column_int(2);
    s.passed = q.column_int(3);
    s.drifted = q.column_int(4);
    s.error_mismatch = q.column_int(5);
    s.crashed = q.column_int(6);
    s.skipped = q.column_int(7);
    s.worst_abs = worst(q, 8);
    s.worst_rel = worst(q, 9);
    s.worst_ulp = worst(q, 10);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<CaseRow> Ledger::cases(int64_t run_id, const std::string& outcome_filter) {
  flush();
  // Fail closed: a misspelt filter would otherwise silently return nothing.
  FT_CHECK(outcome_filter.empty() ||
               std::find(kOutcomes.begin(), kOutcomes.end(), outcome_filter) != kOutcomes.end(),
           "unknown outcome filter '", outcome_filter,
           "': expected one of pass, drift, error_mismatch, crash, skip (or none for all)");
  std::string sql = std::string(kCaseColumns) + "WHERE run_id = ?" +
                    (outcome_filter.empty() ? "" : " AND outcome = ?") + " ORDER BY id";
  Stmt q(db_, path_, sql.c_str());
  q.bind(1, run_id);
  if (!outcome_filter.empty()) q.bind(2, outcome_filter);
  std::vector<CaseRow> out;
  while (q.step()) out.push_back(read_case(q, path_));
  return out;
}

std::optional<CaseRow> Ledger::case_by_id(int64_t case_id) {
  flush();
  Stmt q(db_, path_, (std::string(kCaseColumns) + "WHERE id = ?").c_str());
  q.bind(1, case_id);
  if (!q.step()) return std::nullopt;
  return read_case(q, path_);
}

std::optional<DriftRow> Ledger::drift_for_case(int64_t case_id) {
  flush();
  Stmt q(db_, path_, (std::string(kDriftColumns) + "WHERE d.case_id = ?").c_str());
  q.bind(1, case_id);
  if (!q.step()) return std::nullopt;
  return read_drift(q);
}

std::vector<DriftRow> Ledger::drifts(int64_t run_id) {
  flush();
  Stmt q(db_, path_,
         (std::string(kDriftColumns) +
          "JOIN cases c ON c.id = d.case_id WHERE c.run_id = ? ORDER BY d.case_id")
             .c_str());
  q.bind(1, run_id);
  std::vector<DriftRow> out;
  while (q.step()) out.push_back(read_drift(q));
  return out;
}

std::vector<EventRow> Ledger::events(int64_t run_id) {
  flush();
  Stmt q(db_, path_,
         "SELECT id, run_id, case_id, op, dtype, reason, detail FROM events WHERE run_id = ? "
         "ORDER BY id");
  q.bind(1, run_id);
  std::vector<EventRow> out;
  while (q.step()) {
    EventRow e;
    e.id = q.column_int(0);
    e.run_id = q.column_int(1);
    e.case_id = q.column_int(2);
    e.op = q.column_text(3);
    e.dtype = q.column_text(4);
    e.reason = q.column_text(5);
    e.detail = q.column_text(6);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<OutcomeKey> Ledger::outcome_keys(int64_t run_id) {
  flush();
  Stmt q(db_, path_,
         "SELECT suite, op, dtype, outcome, COUNT(*) FROM cases "
         "WHERE run_id = ? AND outcome <> 'pass' "
         "GROUP BY suite, op, dtype, outcome ORDER BY suite, op, dtype, outcome");
  q.bind(1, run_id);
  std::vector<OutcomeKey> out;
  while (q.step())
    out.push_back(OutcomeKey{q.column_text(0), q.column_text(1), q.column_text(2),
                             q.column_text(3), q.column_int(4)});
  return out;
}

int Ledger::schema_version() {
  Stmt q(db_, path_, "SELECT value FROM meta WHERE key = 'schema_version'");
  FT_CHECK(q.step(), "ledger ", path_,
           " has no schema_version in its meta table: the file was edited; start a new ledger");
  std::string text = q.column_text(0);
  int v = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  FT_CHECK(ec == std::errc() && end == text.data() + text.size(), "ledger ", path_,
           " has an unreadable schema_version '", text, "': start a new ledger");
  return v;
}

std::string Ledger::integrity_check() {
  flush();
  Stmt q(db_, path_, "PRAGMA integrity_check");
  std::string out;
  while (q.step()) out += (out.empty() ? "" : "\n") + q.column_text(0);
  return out;
}

}  // namespace ft::ledger
