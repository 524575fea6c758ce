// Tests of the aggregate queries behind gates and reports: outcome_keys,
// ulp_histogram and trend.
#include <gtest/gtest.h>

#include <limits>

#include "ft/ledger/ledger.h"
#include "temp_dir.h"

namespace ft::ledger {
namespace {

using testing::TempDir;

CaseRow make_case(int64_t run, const std::string& suite, const std::string& op,
                  const std::string& dtype, const std::string& outcome, double ulp = 0) {
  CaseRow c;
  c.run_id = run;
  c.suite = suite;
  c.op = op;
  c.variant = "functional";
  c.dtype = dtype;
  c.mode = "strict";
  c.outcome = outcome;
  c.max_ulp = ulp;
  return c;
}

TEST(LedgerReportQueries, OutcomeKeysGroupNonPassCasesInOrder) {
  TempDir dir;
  auto l = Ledger::open(dir.file("l.db"));
  int64_t run = l->begin_run(RunInfo{});
  int64_t other = l->begin_run(RunInfo{});
  for (int i = 0; i < 3; ++i) l->add_case(make_case(run, "forward", "mul", "float32", "drift"));
  l->add_case(make_case(run, "forward", "mul", "float32", "pass"));
  l->add_case(make_case(run, "backward", "mul", "float32", "crash"));
  l->add_case(make_case(run, "forward", "add", "int64", "skip"));
  l->add_case(make_case(run, "forward", "add", "int64", "error_mismatch"));
  l->add_case(make_case(other, "forward", "zzz", "float32", "drift"));
  auto keys = l->outcome_keys(run);  // flushes first
  ASSERT_EQ(keys.size(), 4u);
  auto is = [](const OutcomeKey& k, const char* s, const char* o, const char* d, const char* out,
               int64_t n) {
    return k.suite == s && k.op == o && k.dtype == d && k.outcome == out && k.count == n;
  };
  EXPECT_TRUE(is(keys[0], "backward", "mul", "float32", "crash", 1));
  EXPECT_TRUE(is(keys[1], "forward", "add", "int64", "error_mismatch", 1));
  EXPECT_TRUE(is(keys[2], "forward", "add", "int64", "skip", 1));
  EXPECT_TRUE(is(keys[3], "forward", "mul", "float32", "drift", 3));
  EXPECT_TRUE(l->outcome_keys(999).empty());
}

TEST(LedgerReportQueries, UlpHistogramBucketsNumericCasesOnly) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  TempDir dir;
  auto l = Ledger::open(dir.file("l.db"));
  int64_t run = l->begin_run(RunInfo{});
  // One value per bucket edge: 0 | 0.5 1 | 1.5 4 | 5 16 | 17 256 | 257 1e300 | inf -inf nan
  for (double u : {0.0, 0.5, 1.0, 1.5, 4.0, 5.0, 16.0, 17.0, 256.0, 257.0, 1e300, kInf, -kInf, kNaN})
    l->add_case(make_case(run, "forward", "exp", "float32", u > 4 ? "drift" : "pass", u));
  l->add_case(make_case(run, "forward", "exp", "float32", "crash", 0));  // not counted
  l->add_case(make_case(run, "forward", "exp", "float32", "skip", 0));   // not counted
  l->add_case(make_case(run, "forward", "abs", "int64", "pass", 0));
  auto h = l->ulp_histogram(run);
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].op, "abs");
  EXPECT_EQ(h[0].counts, (std::array<int64_t, 7>{1, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(h[1].op, "exp");
  EXPECT_EQ(h[1].dtype, "float32");
  EXPECT_EQ(h[1].counts, (std::array<int64_t, 7>{1, 2, 2, 2, 2, 2, 3}));
}

TEST(LedgerReportQueries, TrendCountsNonPassPerRunOldestFirst) {
  TempDir dir;
  auto l = Ledger::open(dir.file("l.db"));
  RunInfo info;
  info.git_sha = "abc";
  int64_t r1 = l->begin_run(info);
  int64_t r2 = l->begin_run(RunInfo{});
  int64_t r3 = l->begin_run(RunInfo{});  // no cases at all
  l->add_case(make_case(r1, "forward", "a", "float32", "pass"));
  l->add_case(make_case(r1, "forward", "a", "float32", "drift"));
  l->add_case(make_case(r1, "forward", "a", "float32", "drift"));
  l->add_case(make_case(r2, "forward", "a", "float32", "crash"));
  l->add_case(make_case(r2, "forward", "a", "float32", "skip"));
  l->add_case(make_case(r2, "forward", "a", "float32", "error_mismatch"));
  auto t = l->trend();
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].run_id, r1);
  EXPECT_EQ(t[0].git_sha, "abc");
  EXPECT_EQ(t[0].uid, l->run(r1)->info.uid);
  EXPECT_EQ(t[0].drift, 2);
  EXPECT_EQ(t[0].non_pass(), 2);
  EXPECT_EQ(t[1].crash, 1);
  EXPECT_EQ(t[1].skip, 1);
  EXPECT_EQ(t[1].error_mismatch, 1);
  EXPECT_EQ(t[1].non_pass(), 3);
  EXPECT_EQ(t[2].run_id, r3);
  EXPECT_EQ(t[2].non_pass(), 0);
}

}  // namespace
}  // namespace ft::ledger
