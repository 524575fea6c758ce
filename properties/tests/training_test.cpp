// Training-trace parity: the engine's MLP + optimizers follow libtorch step
// for step (init from the same seed, data from the same generator stream).
#include <gtest/gtest.h>

#include "ft/props/training.h"

namespace {

TEST(TrainingTrace, EveryDefaultTraceStaysWithinItsBoundFor8Steps) {
  for (const auto& spec : ft::props::default_training_specs(/*seed=*/7)) {
    auto t = ft::props::run_training_trace(spec, 8);
    ASSERT_EQ(t.steps.size(), 8u);
    for (const auto& s : t.steps) {
      EXPECT_LE(s.loss_rel_drift, t.bound) << t.name << " " << ft::dtype_name(t.dtype) << " step " << s.step;
      EXPECT_LE(s.param_rel_drift, t.bound) << t.name << " " << ft::dtype_name(t.dtype) << " step " << s.step;
    }
    // Training did something: the loss moved.
    EXPECT_NE(t.steps.front().engine_loss, t.steps.back().engine_loss) << t.name;
  }
}

TEST(TrainingTrace, F64SgdIsBitwiseOrNearlySo) {
  ft::oracle::TraceSpec s;
  s.dtype = ft::DType::Float64;
  s.seed = 3;
  auto t = ft::props::run_training_trace(s, 5);
  for (const auto& st : t.steps) EXPECT_LE(st.param_rel_drift, 1e-13) << "step " << st.step;
}

// Hardened training must be strict training bit for bit (the transformer
// trace also draws dropout masks, so the generator stream is covered), and a
// finite run reports no events.
TEST(TrainingTrace, HardenedTrainsAsStrictBitForBit) {
  for (const auto& spec : ft::props::default_training_specs(/*seed=*/5)) {
    if (spec.dtype != ft::DType::Float32) continue;
    std::vector<ft::hardened::Event> ev;
    auto t = ft::props::run_training_trace(spec, 3, /*hardened=*/true, &ev);
    EXPECT_EQ(t.hardened_diff, "") << t.name;
    EXPECT_TRUE(ev.empty()) << t.name << ": " << ev.front().reason;
  }
}

}  // namespace
