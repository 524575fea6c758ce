// A harness that cannot catch a planted bug is not done: this plants a wrong
// kernel for `add` (test binary only) and checks that the conformance loop
// reports drift, shrinks it to a small case, and writes a replayable
// reproduce string into the ledger.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "ft/autograd.h"
#include "ft/props/case.h"
#include "ft/props/conform.h"
#include "ft/props/runner.h"

namespace ft::props {
namespace {

// Wrong whenever the result has 3 or more elements: the last one is off by one.
std::vector<Tensor> planted_add(EngineCall& c) {
  Tensor r = ft::add(c.in[0], c.in[1], c.alpha).contiguous();
  if (r.numel() >= 3 && r.is_floating_point()) {
    Tensor last = r.view({-1}).narrow(0, r.numel() - 1, 1);
    autograd::NoGradGuard ng;
    last.add_(ones({1}, r.dtype()));
  }
  return {r};
}

std::string temp_ledger(const char* name) {
  auto p = std::filesystem::temp_directory_path() / (std::string(name) + "-" + std::to_string(getpid()) + ".db");
  std::filesystem::remove(p);
  return p.string();
}

int op_index(const char* id) { return int(find_op(id) - op_table()); }

TEST(PlantedBug, IsCaughtShrunkAndReplayable) {
  std::string path = temp_ledger("planted");
  auto ledger = ledger::Ledger::open(path);
  int64_t run = ledger->begin_run({});
  ConformOptions opt;
  opt.ops = {op_index("add")};
  opt.dtypes = {DType::Float32};
  opt.cases = 60;
  opt.seed = 7;
  opt.run.engine = planted_add;
  ConformSummary s = run_conform(*ledger, run, opt);
  ledger->finish_run(run);

  EXPECT_GT(s.drift, 0) << "the planted bug was not detected";
  EXPECT_TRUE(s.blocking());

  auto drifts = ledger->cases(run, "drift");
  ASSERT_FALSE(drifts.empty());
  const ledger::CaseRow& row = drifts.front();
  EXPECT_EQ(row.op, "add");
  EXPECT_EQ(row.dtype, "float32");
  EXPECT_EQ(row.attribution, "oracle_closer") << "the planted bug is on the engine side";
  ASSERT_FALSE(row.reproduce.empty());
  auto d = ledger->drift_for_case(row.id);
  ASSERT_TRUE(d.has_value());
  EXPECT_FALSE(d->minimized_case.empty());
  EXPECT_FALSE(d->first_index.empty());

  // The reproduce string regenerates the minimized case: at the bug's
  // threshold (3 elements) and still failing with the planted kernel...
  Reproduce rep = parse_reproduce(row.reproduce);
  EXPECT_EQ(rep.op_id, "add");
  CaseSpec minimal = regenerate(rep);
  RunOptions planted;
  planted.engine = planted_add;
  auto outs = run_case(minimal, planted);
  EXPECT_FALSE(all_pass(outs));
  int64_t out_numel = ft::add(materialize(minimal).in[0], materialize(minimal).in[1]).numel();
  EXPECT_EQ(out_numel, 3) << "not shrunk to the smallest failing size: " << describe(minimal);
  EXPECT_GT(d->shrink_steps, 0);
  // ...and passing with the real kernel.
  EXPECT_TRUE(all_pass(run_case(minimal)));
  std::filesystem::remove(path);
}

TEST(PlantedBug, CleanKernelGivesNoDrift) {
  std::string path = temp_ledger("clean");
  auto ledger = ledger::Ledger::open(path);
  int64_t run = ledger->begin_run({});
  ConformOptions opt;
  opt.ops = {op_index("add")};
  opt.dtypes = {DType::Float32};
  opt.cases = 60;
  opt.seed = 7;
  ConformSummary s = run_conform(*ledger, run, opt);
  EXPECT_EQ(s.drift + s.error_mismatch + s.crash, 0);
  EXPECT_EQ(s.cases, 60);
  EXPECT_GE(s.rows, 60);  // one row per case, plus backward rows
  std::filesystem::remove(path);
}

// float64 has no wider dtype on either side: the attribution of an exp drift
// comes from the long double reference (NOTE [ Long double reference ]).
std::vector<Tensor> planted_exp64(EngineCall& c) {
  Tensor r = ft::exp(c.in[0]);
  return {r * (1 + 1e-4)};
}

TEST(PlantedBug, Float64DriftIsAttributedAgainstLongDouble) {
  int attributed = 0;
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    CaseSpec c = gen_case(op_index("exp"), DType::Float64)(rc::Random(seed), 40).value();
    RunOptions ro;
    ro.engine = planted_exp64;
    ro.backward = false;
    for (const Outcome& o : run_case(c, ro))
      if (o.outcome == "drift") {
        EXPECT_EQ(o.attribution, "oracle_closer") << o.message;
        ++attributed;
      }
  }
  EXPECT_GE(attributed, 4) << "the planted float64 drift was rarely seen";
}

TEST(Reproduce, RoundTripsAndRejectsGarbage) {
  Reproduce r{"mm", DType::Float64, 18446744073709551615ull, 42, {0, 3, 1}};
  std::string s = format_reproduce(r);
  Reproduce p = parse_reproduce(s);
  EXPECT_EQ(p.op_id, "mm");
  EXPECT_EQ(p.dtype, DType::Float64);
  EXPECT_EQ(p.seed, r.seed);
  EXPECT_EQ(p.size, 42);
  EXPECT_EQ(p.shrink_path, r.shrink_path);
  EXPECT_THROW(parse_reproduce("nonsense"), Error);
  EXPECT_THROW(parse_reproduce("ftcase1:add:f32:x:1:"), Error);
  EXPECT_THROW(regenerate(parse_reproduce("ftcase1:no_such_op:f32:1:1:")), Error);
  // Same reproduce string, same case.
  Reproduce q{"add", DType::Float32, 99, 50, {}};
  EXPECT_EQ(describe(regenerate(q)), describe(regenerate(q)));
}

}  // namespace
}  // namespace ft::props
