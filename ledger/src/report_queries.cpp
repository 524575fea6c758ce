// Ledger queries that exist for the reports: the per-run non-pass trend and
// the max_ulp histogram. Aggregated in SQL so a report never loads every
// passing case of a large run or ledger.
#include <array>

#include "ft/ledger/ledger.h"
#include "sqlite_util.h"

namespace ft::ledger {

using detail::Stmt;

std::vector<UlpHistogram> Ledger::ulp_histogram(int64_t run_id) {
  flush();
  // The bucket index matches kUlpBuckets. NULL is a stored NaN (NOTE [ NaN in
  // the ledger ]); nothing finite exceeds DBL_MAX, so that test catches +-inf.
  // Only pass/drift cases were compared numerically: error_mismatch, crash and
  // skip rows carry no meaningful max_ulp.
  Stmt q(db_, path_,
         "SELECT op, dtype, CASE "
         "WHEN max_ulp IS NULL OR abs(max_ulp) > 1.7976931348623157e308 THEN 6 "
         "WHEN abs(max_ulp) = 0 THEN 0 WHEN abs(max_ulp) <= 1 THEN 1 "
         "WHEN abs(max_ulp) <= 4 THEN 2 WHEN abs(max_ulp) <= 16 THEN 3 "
         "WHEN abs(max_ulp) <= 256 THEN 4 ELSE 5 END AS bucket, COUNT(*) "
         "FROM cases WHERE run_id = ? AND outcome IN ('pass', 'drift') "
         "GROUP BY op, dtype, bucket ORDER BY op, dtype, bucket");
  q.bind(1, run_id);
  std::vector<UlpHistogram> out;
  while (q.step()) {
    std::string op = q.column_text(0), dtype = q.column_text(1);
    if (out.empty() || out.back().op != op || out.back().dtype != dtype)
      out.push_back(UlpHistogram{std::move(op), std::move(dtype), {}});
    out.back().counts[static_cast<size_t>(q.column_int(2))] = q.column_int(3);
  }
  return out;
}

std::vector<TrendPoint> Ledger::trend() {
  flush();
  // One equality per outcome, so each count is a range of the
  // cases_run_outcome index: passing cases are never visited.
  Stmt q(db_, path_,
         "SELECT r.id, r.started, r.git_sha, COALESCE(r.uid, ''), "
         "(SELECT COUNT(*) FROM cases c WHERE c.run_id = r.id AND c.outcome = 'drift'), "
         "(SELECT COUNT(*) FROM cases c WHERE c.run_id = r.id AND c.outcome = 'error_mismatch'), "
         "(SELECT COUNT(*) FROM cases c WHERE c.run_id = r.id AND c.outcome = 'crash'), "
         "(SELECT COUNT(*) FROM cases c WHERE c.run_id = r.id AND c.outcome = 'skip') "
         "FROM runs r ORDER BY r.id");
  std::vector<TrendPoint> out;
  while (q.step()) {
    TrendPoint t;
    t.run_id = q.column_int(0);
    t.started = q.column_text(1);
    t.git_sha = q.column_text(2);
    t.uid = q.column_text(3);
    t.drift = q.column_int(4);
    t.error_mismatch = q.column_int(5);
    t.crash = q.column_int(6);
    t.skip = q.column_int(7);
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace ft::ledger
