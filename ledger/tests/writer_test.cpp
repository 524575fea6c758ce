// Ledger writer and query tests: batching, round-trips, drift rows, summaries.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "ft/error.h"
#include "ft/ledger/ledger.h"
#include "temp_dir.h"

namespace ft::ledger {
namespace {

using testing::TempDir;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

CaseRow make_case(int64_t run_id, std::string op, std::string dtype, std::string outcome,
                  double ulp = 0) {
  CaseRow c;
  c.run_id = run_id;
  c.suite = "forward";
  c.op = std::move(op);
  c.variant = "functional";
  c.dtype = std::move(dtype);
  c.shapes = "[2,3];[3]";
  c.strides = "[3,1];[1]";
  c.mode = "strict";
  c.outcome = std::move(outcome);
  c.max_ulp = ulp;
  return c;
}

TEST(LedgerWriter, BatchesFlushAutomaticallyAndAssignIds) {
  TempDir dir;
  auto l = Ledger::open(dir.file("l.db"), /*batch_size=*/4);
  int64_t run = l->begin_run(RunInfo{});
  for (int i = 0; i < 3; ++i) l->add_case(make_case(run, "add", "float32", "pass"));
  EXPECT_EQ(l->pending_count(), 3u);
  EXPECT_TRUE(l->last_flush_ids().empty());
  l->add_case(make_case(run, "add", "float32", "pass"));  // 4th: batch full
  EXPECT_EQ(l->pending_count(), 0u);
  EXPECT_EQ(l->last_flush_ids(), (std::vector<int64_t>{1, 2, 3, 4}));
  l->add_case(make_case(run, "mul", "float32", "pass"));
  l->flush();
  EXPECT_EQ(l->last_flush_ids(), (std::vector<int64_t>{5}));
  auto all = l->cases(run);
  ASSERT_EQ(all.size(), 5u);
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].id, static_cast<int64_t>(i + 1));
  EXPECT_EQ(all[4].op, "mul");
}

TEST(LedgerWriter, AllFieldsRoundTripIncludingNonFiniteAndHugeSeeds) {
  TempDir dir;
  std::string path = dir.file("l.db");
  RunInfo info{"deadbeef",
               "0.1.0",
               "1.13.1",
               "ci-host",
               "hardened",
               "ops",
               "ftorch conform --seed 18446744073709551615",
               8,
               UINT64_MAX,
               "0123456789abcdef0123456789abcdef"};
  CaseRow c = make_case(0, "exp", "float64", "drift");
  c.skip_reason = "";
  c.max_abs = kNaN;
  c.max_rel = kInf;
  c.max_ulp = -kInf;
  c.atol = 1e-7;
  c.rtol = 5e-324;  // smallest subnormal
  c.seed = UINT64_MAX;
  c.reproduce = "exp(float64, [2,3]) seed=18446744073709551615";
  c.duration_ms = 12.5;
  c.attribution = "oracle_closer";
  CaseRow c2 = make_case(0, "exp", "float64", "skip");
  c2.skip_reason = "no kernel for complex";
  c2.seed = (uint64_t{1} << 63);
  int64_t run = 0;
  {
    auto l = Ledger::open(path);
    run = l->begin_run(info);
    c.run_id = c2.run_id = run;
    l->add_case(c);
    l->add_case(c2);
  }  // destructor flushes
  auto l = Ledger::open(path);
  auto r = l->run(run);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->info.git_sha, "deadbeef");
  EXPECT_EQ(r->info.engine_version, "0.1.0");
  EXPECT_EQ(r->info.oracle_version, "1.13.1");
  EXPECT_EQ(r->info.host, "ci-host");
  EXPECT_EQ(r->info.mode, "hardened");
  EXPECT_EQ(r->info.suite, "ops");
  EXPECT_EQ(r->info.argv, info.argv);
  EXPECT_EQ(r->info.threads, 8);
  EXPECT_EQ(r->info.seed, UINT64_MAX);
  EXPECT_EQ(r->info.uid, "0123456789abcdef0123456789abcdef");  // a given uid is kept
  EXPECT_EQ(r->cases, 2);
  EXPECT_EQ(r->non_pass, 2);
  ASSERT_EQ(r->started.size(), 24u);  // 2024-01-02T03:04:05.678Z
  EXPECT_EQ(r->started[10], 'T');
  EXPECT_EQ(r->started.back(), 'Z');
  EXPECT_EQ(r->finished, "");
  l->finish_run(run);
  EXPECT_EQ(l->run(run)->finished.back(), 'Z');
  EXPECT_GE(l->run(run)->finished, l->run(run)->started);

  auto got = l->case_by_id(1);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->run_id, run);
  EXPECT_EQ(got->suite, "forward");
  EXPECT_EQ(got->op, "exp");
  EXPECT_EQ(got->variant, "functional");
  EXPECT_EQ(got->dtype, "float64");
  EXPECT_EQ(got->shapes, "[2,3];[3]");
  EXPECT_EQ(got->strides, "[3,1];[1]");
  EXPECT_EQ(got->mode, "strict");
  EXPECT_EQ(got->outcome, "drift");
  EXPECT_TRUE(std::isnan(got->max_abs));
  EXPECT_EQ(got->max_rel, kInf);
  EXPECT_EQ(got->max_ulp, -kInf);
  EXPECT_EQ(got->atol, 1e-7);
  EXPECT_EQ(got->rtol, 5e-324);
  EXPECT_EQ(got->seed, UINT64_MAX);
  EXPECT_EQ(got->reproduce, c.reproduce);
  EXPECT_EQ(got->duration_ms, 12.5);
  EXPECT_EQ(got->attribution, "oracle_closer");
  auto got2 = l->case_by_id(2);
  ASSERT_TRUE(got2);
  EXPECT_EQ(got2->skip_reason, "no kernel for complex");
  EXPECT_EQ(got2->seed, uint64_t{1} << 63);
  EXPECT_FALSE(l->case_by_id(3));
}

TEST(LedgerWriter, DriftRowsAttachToTheirCase) {
  TempDir dir;
  auto l = Ledger::open(dir.file("l.db"), 3);
  int64_t run = l->begin_run(RunInfo{});
  DriftRow d;
  d.case_id = 999;  // ignored: the ledger assigns it
  d.message = "value mismatch at index [1,0]";
  d.first_index = "[1,0]";
  d.engine_value = "1.0000001";
  d.oracle_value = "1.0";
  d.minimized_case = "exp([1]) x=88.7";
  d.shrink_steps = 17;
  l->add_case(make_case(run, "add", "float32", "pass"));
  l->add_case(make_case(run, "exp", "float32", "drift", 3), d);
  l->add_case(make_case(run, "add", "float32", "pass"));  // flush of 3
  d.message = "error text differs";
  l->add_case(make_case(run, "div", "int64", "error_mismatch"), d);
  EXPECT_FALSE(l->drift_for_case(1));
  auto d2 = l->drift_for_case(2);
  ASSERT_TRUE(d2);
  EXPECT_EQ(d2->case_id, 2);
  EXPECT_EQ(d2->message, "value mismatch at index [1,0]");
  EXPECT_EQ(d2->first_index, "[1,0]");
  EXPECT_EQ(d2->engine_value, "1.0000001");
  EXPECT_EQ(d2->oracle_value, "1.0");
  EXPECT_EQ(d2->minimized_case, "exp([1]) x=88.7");
  EXPECT_EQ(d2->shrink_steps, 17);
  auto all = l->drifts(run);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].case_id, 2);
  EXPECT_EQ(all[1].case_id, 4);
  EXPECT_EQ(all[1].message, "error text differs");
}

TEST(LedgerWriter, SummaryAggregatesMixedOutcomes) {
  TempDir dir;
  auto l = Ledger::open(dir.file("l.db"));
  int64_t run = l->begin_run(RunInfo{});
  int64_t other = l->begin_run(RunInfo{});
  l->add_case(make_case(run, "mul", "float32", "pass", 1));
  l->add_case(make_case(run, "add", "float64", "pass", 0));
  l->add_case(make_case(run, "add", "float32", "pass", 2));
  l->add_case(make_case(run, "add", "float32", "drift", 40));
  l->add_case(make_case(run, "add", "float32", "drift", kNaN));
  l->add_case(make_case(run, "add", "float32", "error_mismatch"));
  l->add_case(make_case(run, "add", "float32", "crash"));
  l->add_case(make_case(run, "add", "float32", "skip"));
  l->add_case(make_case(other, "add", "float32", "drift", 1e9));  // another run: excluded
  auto s = l->summary(run);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].op, "add");
  EXPECT_EQ(s[0].dtype, "float32");
  EXPECT_EQ(s[1].op, "add");
  EXPECT_EQ(s[1].dtype, "float64");
  EXPECT_EQ(s[2].op, "mul");
  EXPECT_EQ(s[0].cases, 6);
  EXPECT_EQ(s[0].passed, 1);
  EXPECT_EQ(s[0].drifted, 2);
  EXPECT_EQ(s[0].error_mismatch, 1);
  EXPECT_EQ(s[0].crashed, 1);
  EXPECT_EQ(s[0].skipped, 1);
  EXPECT_EQ(s[0].worst_ulp, 40);  // the NaN is ignored
  EXPECT_EQ(s[1].cases, 1);
  EXPECT_EQ(s[1].passed, 1);
  EXPECT_EQ(s[2].worst_ulp, 1);

  EXPECT_EQ(l->cases(run, "drift").size(), 2u);
  EXPECT_EQ(l->cases(run, "pass").size(), 3u);
  EXPECT_EQ(l->cases(other).size(), 1u);
  EXPECT_THROW(l->cases(run, "drfit"), ft::Error);
  auto runs = l->runs();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].id, run);
  EXPECT_EQ(runs[0].cases, 8);
  EXPECT_EQ(runs[0].non_pass, 5);
  EXPECT_EQ(runs[1].cases, 1);
  EXPECT_EQ(l->latest_run_id(), other);
}

TEST(LedgerWriter, BadRowsAreRefusedAtAddTime) {
  TempDir dir;
  auto l = Ledger::open(dir.file("l.db"));
  int64_t run = l->begin_run(RunInfo{});
  try {
    l->add_case(make_case(run, "add", "float32", "passed"));
    FAIL() << "unknown outcome accepted";
  } catch (const ft::Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown outcome 'passed'"), std::string::npos);
  }
  try {
    l->add_case(make_case(run + 41, "add", "float32", "pass"));
    FAIL() << "unknown run accepted";
  } catch (const ft::Error& e) {
    EXPECT_NE(std::string(e.what()).find("begin_run"), std::string::npos);
  }
  EXPECT_THROW(l->finish_run(run + 41), ft::Error);
  EXPECT_EQ(l->pending_count(), 0u);
  EXPECT_THROW(Ledger::open(dir.file("l2.db"), 0), ft::Error);
}

TEST(LedgerWriter, TwoWritersShareOneLedger) {
  // WAL + busy_timeout: two connections (as two processes would) interleave batches.
  TempDir dir;
  auto a = Ledger::open(dir.file("l.db"), 2);
  auto b = Ledger::open(dir.file("l.db"), 2);
  int64_t ra = a->begin_run(RunInfo{});
  int64_t rb = b->begin_run(RunInfo{});
  for (int i = 0; i < 10; ++i) {
    a->add_case(make_case(ra, "add", "float32", "pass"));
    b->add_case(make_case(rb, "mul", "float32", "pass"));
  }
  a->flush();
  b->flush();
  EXPECT_EQ(a->cases(rb).size(), 10u);
  EXPECT_EQ(b->cases(ra).size(), 10u);
  EXPECT_EQ(a->integrity_check(), "ok");
}

}  // namespace
}  // namespace ft::ledger
