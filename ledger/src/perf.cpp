// Benchmark results in the ledger (the perf table, schema v4) and the
// training-trace query the report charts: small tables read whole.
#include <string>

#include "ft/ledger/ledger.h"
#include "sqlite_util.h"

namespace ft::ledger {

using detail::exec;
using detail::Stmt;

namespace {

constexpr const char* kPerfColumns =
    "id, run_id, bench, engine_p50_ns, engine_p99_ns, oracle_p50_ns, oracle_p99_ns, speedup, "
    "target, samples, threads";

PerfRow read_perf(const Stmt& q) {
  PerfRow r;
  r.id = q.column_int(0);
  r.run_id = q.column_int(1);
  r.bench = q.column_text(2);
  r.engine_p50_ns = q.column_double(3);
  r.engine_p99_ns = q.column_double(4);
  r.oracle_p50_ns = q.column_double(5);
  r.oracle_p99_ns = q.column_double(6);
  r.speedup = q.column_double(7);
  r.target = q.column_double(8);
  r.samples = q.column_int(9);
  r.threads = static_cast<int>(q.column_int(10));
  return r;
}

// "step=12" (the training suite's shapes column) -> 12; -1 when malformed.
int64_t parse_step(const std::string& shapes) {
  constexpr std::string_view kPrefix = "step=";
  if (shapes.compare(0, kPrefix.size(), kPrefix) != 0) return -1;
  try {
    return std::stoll(shapes.substr(kPrefix.size()));
  } catch (const std::exception&) {
    return -1;
  }
}

}  // namespace

void Ledger::add_perf(const std::vector<PerfRow>& rows) {
  flush();
  for (const PerfRow& r : rows)
    FT_CHECK(run_exists(r.run_id), "ledger ", path_, ": perf row for '", r.bench, "' names run ", r.run_id,
             ", which is not in this ledger: call begin_run first");
  Stmt ins(db_, path_,
           "INSERT INTO perf (run_id, bench, engine_p50_ns, engine_p99_ns, oracle_p50_ns, oracle_p99_ns, "
           "speedup, target, samples, threads) VALUES (?,?,?,?,?,?,?,?,?,?)");
  exec(db_, path_, "BEGIN IMMEDIATE");
  try {
    for (const PerfRow& r : rows) {
      ins.bind(1, r.run_id).bind(2, r.bench).bind(3, r.engine_p50_ns).bind(4, r.engine_p99_ns);
      ins.bind(5, r.oracle_p50_ns).bind(6, r.oracle_p99_ns).bind(7, r.speedup).bind(8, r.target);
      ins.bind(9, r.samples).bind(10, r.threads).run();
      ins.reset();
    }
    exec(db_, path_, "COMMIT");
  } catch (...) {
    exec(db_, path_, "ROLLBACK");
    throw;
  }
}

std::vector<PerfRow> Ledger::perf(int64_t run_id) {
  Stmt q(db_, path_, (std::string("SELECT ") + kPerfColumns + " FROM perf WHERE run_id = ? ORDER BY id").c_str());
  q.bind(1, run_id);
  std::vector<PerfRow> out;
  while (q.step()) out.push_back(read_perf(q));
  return out;
}

std::vector<PerfRow> Ledger::perf_history() {
  Stmt q(db_, path_, (std::string("SELECT ") + kPerfColumns + " FROM perf ORDER BY run_id, id").c_str());
  std::vector<PerfRow> out;
  while (q.step()) out.push_back(read_perf(q));
  return out;
}

int64_t Ledger::latest_perf_run() {
  Stmt q(db_, path_, "SELECT COALESCE(MAX(run_id), 0) FROM perf");
  return q.step() ? q.column_int(0) : 0;
}

std::vector<TrainingPoint> Ledger::training_points(int64_t run_id) {
  flush();
  Stmt q(db_, path_,
         "SELECT op, dtype, shapes, max_rel, max_abs, rtol, outcome FROM cases "
         "WHERE run_id = ? AND suite = 'training' ORDER BY op, dtype, id");
  q.bind(1, run_id);
  std::vector<TrainingPoint> out;
  while (q.step()) {
    TrainingPoint p;
    p.trace = q.column_text(0);
    p.dtype = q.column_text(1);
    p.step = parse_step(q.column_text(2));
    p.loss_drift = q.column_double(3);   // the training suite stores the loss drift in max_rel
    p.param_drift = q.column_double(4);  // and the parameter drift in max_abs
    p.bound = q.column_double(5);
    p.pass = q.column_text(6) == "pass";
    out.push_back(std::move(p));
  }
  return out;
}

int64_t Ledger::latest_run_of_suite(const std::string& suite) {
  flush();
  // Through runs.suite (conform --suite) and the cases(run_id, ...) index:
  // never a scan of the cases table.
  Stmt q(db_, path_,
         "SELECT COALESCE(MAX(r.id), 0) FROM runs r WHERE r.suite = ? "
         "AND EXISTS (SELECT 1 FROM cases c WHERE c.run_id = r.id)");
  q.bind(1, suite);
  return q.step() ? q.column_int(0) : 0;
}

}  // namespace ft::ledger
