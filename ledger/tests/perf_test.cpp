// Benchmark rows (perf table, schema v4) and the report's training query:
// round trip with NaN, refusal of an unknown run, history order, merge.
#include <gtest/gtest.h>

#include <cmath>

#include "ft/error.h"
#include "ft/ledger/ledger.h"
#include "temp_dir.h"

namespace ft::ledger {
namespace {

using testing::TempDir;

PerfRow make_perf(int64_t run, const std::string& bench, double speedup) {
  PerfRow p;
  p.run_id = run;
  p.bench = bench;
  p.engine_p50_ns = 100;
  p.engine_p99_ns = 150;
  p.oracle_p50_ns = 100 * speedup;
  p.oracle_p99_ns = 170;
  p.speedup = speedup;
  p.target = 1.0;
  p.samples = 42;
  p.threads = 2;
  return p;
}

CaseRow training_case(int64_t run, const std::string& trace, int64_t step, double loss, double param,
                      const std::string& outcome) {
  CaseRow c;
  c.run_id = run;
  c.suite = "training";
  c.op = trace;
  c.variant = "step";
  c.dtype = "float64";
  c.shapes = "step=" + std::to_string(step);
  c.mode = "strict";
  c.outcome = outcome;
  c.max_rel = loss;
  c.max_abs = param;
  c.rtol = 1e-10;
  return c;
}

TEST(LedgerPerf, RoundTripKeepsEveryFieldAndNaN) {
  TempDir dir;
  auto l = Ledger::open(dir.file("l.db"));
  int64_t run = l->begin_run(RunInfo{});
  PerfRow a = make_perf(run, "add_tiny_f32", 4.5);
  PerfRow b = make_perf(run, "mm_256_f32", std::nan(""));
  l->add_perf({a, b});
  auto rows = l->perf(run);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].bench, "add_tiny_f32");
  EXPECT_EQ(rows[0].run_id, run);
  EXPECT_DOUBLE_EQ(rows[0].speedup, 4.5);
  EXPECT_DOUBLE_EQ(rows[0].oracle_p50_ns, 450);
  EXPECT_DOUBLE_EQ(rows[0].engine_p99_ns, 150);
  EXPECT_DOUBLE_EQ(rows[0].oracle_p99_ns, 170);
  EXPECT_EQ(rows[0].samples, 42);
  EXPECT_EQ(rows[0].threads, 2);
  EXPECT_TRUE(std::isnan(rows[1].speedup));
  EXPECT_EQ(l->latest_perf_run(), run);
}

TEST(LedgerPerf, RefusesAnUnknownRunAndWritesNothing) {
  TempDir dir;
  auto l = Ledger::open(dir.file("l.db"));
  int64_t run = l->begin_run(RunInfo{});
  EXPECT_THROW(l->add_perf({make_perf(run, "ok", 1.0), make_perf(run + 7, "bad", 1.0)}), ft::Error);
  EXPECT_TRUE(l->perf(run).empty());
  EXPECT_EQ(l->latest_perf_run(), 0);
}

TEST(LedgerPerf, HistoryIsOrderedByRunAndMergeCopiesItOnce) {
  TempDir dir;
  std::string shard = dir.file("shard.db"), main = dir.file("main.db");
  {
    auto l = Ledger::open(shard);
    int64_t r1 = l->begin_run(RunInfo{});
    int64_t r2 = l->begin_run(RunInfo{});
    l->add_perf({make_perf(r2, "x", 2.0)});
    l->add_perf({make_perf(r1, "x", 1.0)});
    auto h = l->perf_history();
    ASSERT_EQ(h.size(), 2u);
    EXPECT_EQ(h[0].run_id, r1);
    EXPECT_EQ(h[1].run_id, r2);
    EXPECT_EQ(l->latest_perf_run(), r2);
  }
  auto m = Ledger::open(main);
  m->begin_run(RunInfo{});  // shifts the ids: merged rows must follow their new run ids
  MergeStats st = m->merge_from(shard);
  EXPECT_EQ(st.runs_added, 2);
  EXPECT_EQ(st.perf_added, 2);
  auto h = m->perf_history();
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].run_id, 2);
  EXPECT_DOUBLE_EQ(h[0].speedup, 1.0);
  EXPECT_EQ(h[1].run_id, 3);
  EXPECT_DOUBLE_EQ(h[1].speedup, 2.0);
  EXPECT_EQ(m->merge_from(shard).perf_added, 0);  // idempotent, like the runs
  EXPECT_EQ(m->perf_history().size(), 2u);
}

TEST(LedgerTraining, PointsComeBackByTraceWithStepsParsed) {
  TempDir dir;
  auto l = Ledger::open(dir.file("l.db"));
  RunInfo train;
  train.suite = "training";
  int64_t run = l->begin_run(train);
  int64_t ops = l->begin_run(RunInfo{});  // a later run of another suite
  l->add_case(training_case(run, "mlp_sgd", 1, 2e-16, 3e-16, "pass"));
  l->add_case(training_case(run, "cnn_adam", 0, 1e-16, 0, "pass"));
  l->add_case(training_case(run, "mlp_sgd", 0, 0, 0, "pass"));
  l->add_case(training_case(run, "mlp_sgd", 2, 5e-9, std::nan(""), "drift"));
  auto pts = l->training_points(run);
  ASSERT_EQ(pts.size(), 4u);
  EXPECT_EQ(pts[0].trace, "cnn_adam");
  EXPECT_EQ(pts[1].trace, "mlp_sgd");
  EXPECT_EQ(pts[1].step, 1);  // insertion order within a trace
  EXPECT_DOUBLE_EQ(pts[1].loss_drift, 2e-16);
  EXPECT_DOUBLE_EQ(pts[1].param_drift, 3e-16);
  EXPECT_DOUBLE_EQ(pts[1].bound, 1e-10);
  EXPECT_EQ(pts[3].step, 2);
  EXPECT_FALSE(pts[3].pass);
  EXPECT_TRUE(std::isnan(pts[3].param_drift));
  EXPECT_TRUE(l->training_points(ops).empty());
  EXPECT_EQ(l->latest_run_of_suite("training"), run);
  EXPECT_EQ(l->latest_run_of_suite("nosuch"), 0);
}

}  // namespace
}  // namespace ft::ledger
