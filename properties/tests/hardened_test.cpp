// Hardened mode in the harness: engine interventions become events, and a
// hardened result that differs from strict mode on a valid program is a
// drift of suite "hardened" (NOTE [ Hardened vs strict ] in runner.cpp), for
// op cases, autograd programs and checkpoint cases alike.
#include <gtest/gtest.h>

#include "ft/hardened.h"
#include "ft/props/checkpoint_suite.h"
#include "ft/props/fuzz.h"
#include "ft/props/case.h"
#include "ft/props/runner.h"

namespace ft::props {
namespace {

int entry_of(const char* id) { return int(find_op(id) - op_table()); }

// Correct in strict mode, off by one in hardened mode: the planted bug only
// the hardened-vs-strict comparison can see (the oracle agrees with strict).
std::vector<Tensor> hardened_only_bug(EngineCall& c) {
  Tensor r = ft::add(c.in[0], c.in[1], c.alpha);
  if (hardened::active()) r = r + ones({1}, r.dtype());
  return {r};
}

TEST(HardenedVsStrict, ADifferenceOnAValidProgramIsADrift) {
  int drifts = 0, cases = 0;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    CaseSpec c = gen_case(entry_of("add"), DType::Float64)(rc::Random(seed), 30).value();
    RunOptions ro;
    ro.engine = hardened_only_bug;
    EXPECT_TRUE(all_pass(run_case(c, ro))) << "strict mode must not see the planted bug";
    ro.hardened = true;
    auto outs = run_case(c, ro);
    ++cases;
    for (const Outcome& o : outs)
      if (o.suite == "hardened") {
        ++drifts;
        EXPECT_EQ(o.outcome, "drift");
        EXPECT_NE(o.message.find("differs bitwise"), std::string::npos) << o.message;
      }
  }
  // Invalid cases (both sides raise) are not compared; most generated ones are valid.
  EXPECT_GE(drifts, cases / 2) << "the hardened-only bug went unseen";
}

TEST(HardenedVsStrict, CleanEngineGivesNoHardenedRows) {
  for (const char* id : {"add", "index_put", "scatter_src", "mul_inplace"}) {
    const OpInfo* op = find_op(id);
    if (!op) continue;
    for (uint64_t seed = 1; seed <= 5; ++seed) {
      CaseSpec c = gen_case(int(op - op_table()), DType::Float32)(rc::Random(seed), 40).value();
      RunOptions ro;
      ro.hardened = true;
      for (const Outcome& o : run_case(c, ro)) EXPECT_NE(o.suite, "hardened") << id << ": " << o.message;
    }
  }
}

// y = x * x; z = y * y (saves y); y.mul_(2); backward of z: both sides raise
// the version-counter error, and hardened mode records the engine's event.
TEST(HardenedFuzz, SavedTensorVersionViolationIsAnEvent) {
  oracle::Program p;
  p.shape = {3};
  p.leaves = {{1, 2, 3}};
  const int mul = entry_of("mul");
  p.steps.push_back({oracle::ProgStep::Call, mul, {0, 0}, 1.0, false});
  p.steps.push_back({oracle::ProgStep::Call, mul, {1, 1}, 1.0, false});
  p.steps.push_back({oracle::ProgStep::InplaceMul, -1, {1}, 2.0, false});
  p.losses = {2};
  EXPECT_EQ(check_program(p).message, "both raised");
  std::vector<hardened::Event> ev;
  FuzzVerdict v = check_program_hardened(p, &ev);
  EXPECT_EQ(v.outcome, "pass") << v.message;
  bool seen = false;
  for (const auto& e : ev) seen = seen || std::string(e.reason) == "saved_tensor_version";
  EXPECT_TRUE(seen) << ev.size() << " events";
}

TEST(CheckpointSuite, EveryFormatAndDtypePasses) {
  for (DType dt : checkpoint_dtypes())
    for (uint64_t seed = 1; seed <= 3; ++seed)
      for (const auto& o : run_checkpoint_case(seed, dt, false))
        EXPECT_EQ(o.outcome, "pass") << o.format << " " << o.suite << " " << dtype_name(dt) << " seed " << seed
                                     << ": " << o.message;
}

TEST(CheckpointSuite, HardenedRecordsRefusalsAsEvents) {
  int refused = 0, formats = 0;
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    auto outs = run_checkpoint_case(seed, DType::Float32, true);
    formats += int(outs.size());
    for (const auto& o : outs) {
      EXPECT_EQ(o.outcome, "pass") << o.format << " " << o.suite << ": " << o.message;
      for (const auto& e : o.events) refused += std::string(e.reason) == "checkpoint_verification_failed";
    }
  }
  EXPECT_GT(formats, 0);
  // Every truncated copy must be refused: at least one refusal per format per case.
  EXPECT_GE(refused, 4 * 3);
}

TEST(CheckpointSuite, ReproduceStringRoundTrips) {
  uint64_t seed = 0;
  DType dt = DType::Float32;
  parse_checkpoint_reproduce(checkpoint_reproduce(12345, DType::BFloat16), seed, dt);
  EXPECT_EQ(seed, 12345u);
  EXPECT_EQ(dt, DType::BFloat16);
  EXPECT_THROW(parse_checkpoint_reproduce("ftckpt1:x", seed, dt), Error);
  EXPECT_THROW(parse_checkpoint_reproduce("ftckpt1:abc:float32", seed, dt), Error);
}

}  // namespace
}  // namespace ft::props
