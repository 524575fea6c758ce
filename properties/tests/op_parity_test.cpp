// Parity properties under ctest: every op-table entry x dtype checked by
// RapidCheck (forward, backward, double backward for float64, error parity), plus RC_GTEST_PROP suites
// that draw the op and dtype themselves. RC_PARAMS (set by CMake) bounds the
// case count; failures shrink and print RapidCheck's reproduce string.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "ft/ledger/budget.h"
#include "ft/props/runner.h"

namespace ft::props {
namespace {

const DType kDtypes[] = {DType::Float32, DType::Float64, DType::Int64, DType::Int32, DType::Bool};

// Drifts explained in ci/budget.json's allowlist (the gate's file) do not
// fail the property; they are printed instead, as the report lists them.
bool allowed(const CaseSpec& c, const Outcome& o) {
  static const ledger::BudgetFile budget = ledger::load_budget_file(FT_BUDGET_FILE);
  for (const auto& r : budget.allow)
    if (r.matches(op_table()[c.op].id, dtype_name(c.dtype), o.suite)) return true;
  return false;
}

bool passes(const CaseSpec& c, const std::vector<Outcome>& outs) {
  for (const auto& o : outs)
    if (!o.ok() && !allowed(c, o)) return false;
  return true;
}

std::string failure_text(const std::vector<Outcome>& outs) {
  std::string s;
  for (const auto& o : outs)
    if (!o.ok()) s += o.suite + " " + o.outcome + ": " + o.message + "\n";
  return s;
}

class EveryOp : public ::testing::TestWithParam<int> {};

TEST_P(EveryOp, ParityOverGeneratedCases) {
  const int op = GetParam();
  for (DType dt : kDtypes) {
    bool ok = rc::check(std::string(op_table()[op].id) + "[" + dtype_name(dt) + "]", [op, dt] {
      CaseSpec c = *gen_case(op, dt);
      RunOptions ro;
      ro.double_backward = true;  // float64 cases also check second-order gradients (suite backward2)
      auto outs = run_case(c, ro);
      RC_LOG() << describe(c) << "\n" << failure_text(outs);
      RC_ASSERT(passes(c, outs));
    });
    EXPECT_TRUE(ok) << op_table()[op].id << " [" << dtype_name(dt) << "] failed; see the counterexample above";
  }
}

INSTANTIATE_TEST_SUITE_P(OpTable, EveryOp, ::testing::Range(0, kNumOps),
                         [](const ::testing::TestParamInfo<int>& i) { return std::string(op_table()[i.param].id); });

rc::Gen<std::pair<int, DType>> any_op_dtype() {
  return rc::gen::pair(rc::gen::inRange(0, kNumOps),
                       rc::gen::element(DType::Float32, DType::Float64, DType::Int64, DType::Int32, DType::Bool));
}

RC_GTEST_PROP(ForwardParity, AnyOpAnyDtype, ()) {
  auto [op, dt] = *any_op_dtype();
  CaseSpec c = *gen_case(op, dt);
  RunOptions opt;
  opt.backward = false;
  auto outs = run_case(c, opt);
  RC_LOG() << describe(c) << "\n" << failure_text(outs);
  RC_ASSERT(passes(c, outs));
}

RC_GTEST_PROP(BackwardParity, DifferentiableOpsFloat, ()) {
  int op = *rc::gen::suchThat(rc::gen::inRange(0, kNumOps), [](int i) {
    const OpInfo& o = op_table()[i];
    return o.differentiable() && (o.variant == OpVariant::Functional || o.variant == OpVariant::Method);
  });
  DType dt = *rc::gen::element(DType::Float32, DType::Float64);
  CaseSpec c = *gen_case(op, dt);
  auto outs = run_case(c);
  RC_LOG() << describe(c) << "\n" << failure_text(outs);
  RC_ASSERT(passes(c, outs));
}

// Dtypes outside an op's kernel list must raise on both sides.
RC_GTEST_PROP(ErrorParity, UnsupportedDtypesRaiseOnBothSides, ()) {
  auto [op, dt] = *rc::gen::suchThat(any_op_dtype(), [](const std::pair<int, DType>& p) {
    return !op_table()[p.first].supports(p.second);
  });
  CaseSpec c = *gen_case(op, dt);
  auto outs = run_case(c);
  RC_LOG() << describe(c) << "\n" << failure_text(outs);
  RC_ASSERT(passes(c, outs));
}

}  // namespace
}  // namespace ft::props

namespace ft::props {
namespace {

// DAC promise 1 and 3: the same case run twice produces bitwise-identical
// gradients, hence the same provenance digest.
RC_GTEST_PROP(Determinism, SameCaseSameProvenanceDigest, ()) {
  int op = *rc::gen::suchThat(rc::gen::inRange(0, kNumOps), [](int i) {
    const OpInfo& o = op_table()[i];
    return o.differentiable() && (o.variant == OpVariant::Functional || o.variant == OpVariant::Method);
  });
  DType dt = *rc::gen::element(DType::Float32, DType::Float64);
  CaseSpec c = *gen_case(op, dt);
  auto a = run_case(c), b = run_case(c);
  RC_ASSERT(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    RC_ASSERT(a[i].provenance_digest == b[i].provenance_digest);
    if (a[i].suite == "backward" && a[i].ok()) RC_ASSERT(!a[i].provenance_digest.empty());
  }
}

}  // namespace
}  // namespace ft::props
