// Parity properties under ctest: every op-table entry x dtype checked by
// RapidCheck (forward, backward, double backward for float64, error parity), plus RC_GTEST_PROP suites
// that draw the op and dtype themselves. RC_PARAMS (set by CMake) bounds the
// case count; failures shrink and print RapidCheck's reproduce string.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <iostream>

#include "ft/ledger/budget.h"
#include "ft/props/runner.h"

namespace ft::props {
namespace {

const DType kDtypes[] = {DType::Float32, DType::Float64, DType::Int64, DType::Int32, DType::Bool};
// The other five dtypes get fewer cases each (a quarter of RC_PARAMS' count):
// most ops refuse some of them, and the ledger run `conform --dtypes all`
// covers them at depth.
const DType kSmallDtypes[] = {DType::Float16, DType::BFloat16, DType::Int16, DType::Int8, DType::UInt8};

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

// RC_PARAMS' case count divided by `fewer`; the property is rc::check's.
void check_op_dtype(int op, DType dt, int fewer) {
  const std::string what = std::string(op_table()[op].id) + "[" + dtype_name(dt) + "]";
  auto prop = [op, dt] {
    CaseSpec c = *gen_case(op, dt);
    RunOptions ro;
    ro.double_backward = true;  // float64 cases also check second-order gradients (suite backward2)
    auto outs = run_case(c, ro);
    RC_LOG() << describe(c) << "\n" << failure_text(outs);
    RC_ASSERT(passes(c, outs));
  };
  rc::detail::TestMetadata meta;
  meta.id = meta.description = what;
  rc::detail::TestParams params = rc::detail::configuration().testParams;
  params.maxSuccess = std::max(1, params.maxSuccess / fewer);
  const auto result = rc::detail::checkTestable(prop, meta, params);
  if (!result.template is<rc::detail::SuccessResult>()) {
    std::cerr << "- " << what << "\n";
    rc::detail::printResultMessage(result, std::cerr);
    std::cerr << "\n";
  }
  EXPECT_TRUE(result.template is<rc::detail::SuccessResult>())
      << what << " failed; see the counterexample above";
}

TEST_P(EveryOp, ParityOverGeneratedCases) {
  const int op = GetParam();
  for (DType dt : kDtypes) check_op_dtype(op, dt, 1);
  for (DType dt : kSmallDtypes) check_op_dtype(op, dt, 4);
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
