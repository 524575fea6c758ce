// layer_norm / group_norm / batch_norm / embedding: properties that hold
// whatever the oracle does (normalized rows, running statistics, padding
// rows, frequency scaling, messages), and the engine's answer where
// libtorch 1.13 has a bug (NOTE [ batch_norm's strided weight ] in
// properties/src/gen_norm.cpp).
#include <gtest/gtest.h>

#include <cmath>

#include "ft/autograd.h"
#include "ft/ops.h"
#include "test_util.h"

namespace ft {
namespace {

TEST(NnNorm, LayerNormRowsHaveMeanZeroAndUnitVariance) {
  Tensor x = test::rand_tensor({3, 5}, DType::Float64, 1) * 4.0 + 7.0;
  std::vector<double> y = layer_norm(x, {5}, std::nullopt, std::nullopt, 0.0).to_double_vector();
  for (int r = 0; r < 3; ++r) {
    double m = 0, v = 0;
    for (int j = 0; j < 5; ++j) m += y[size_t(r * 5 + j)] / 5;
    for (int j = 0; j < 5; ++j) v += (y[size_t(r * 5 + j)] - m) * (y[size_t(r * 5 + j)] - m) / 5;
    EXPECT_NEAR(m, 0, 1e-15);
    EXPECT_NEAR(v, 1, 1e-14);
  }
}

TEST(NnNorm, BatchNormUpdatesRunningStatsWithUnbiasedVariance) {
  Tensor x = from_vector({1, 2, 3, 5}, {4, 1}, DType::Float64);
  Tensor rm = from_vector({10}, {1}, DType::Float64), rv = from_vector({4}, {1}, DType::Float64);
  (void)batch_norm(x, std::nullopt, std::nullopt, rm, rv, true, 0.25, 1e-5, false);
  // mean 2.75, unbiased variance 2.9166...
  EXPECT_DOUBLE_EQ(rm.to_double_vector()[0], 0.25 * 2.75 + 0.75 * 10);
  EXPECT_NEAR(rv.to_double_vector()[0], 0.25 * (8.75 / 3) + 0.75 * 4, 1e-15);
}

TEST(NnNorm, BatchNormGradientUsesAStridedWeightsOwnValues) {
  // libtorch 1.13 reads w[::2] as if contiguous here; the engine must not.
  Tensor base = from_vector({-10, -10, -9.99, -10}, {4}, DType::Float64);
  Tensor w = base.as_strided({2}, {2}, 0);
  for (bool training : {false, true}) {
    Tensor x1 = test::rand_tensor({3, 2}, DType::Float64, 4).requires_grad_(true);
    Tensor x2 = x1.detach().clone().requires_grad_(true);
    Tensor rm = zeros({2}, DType::Float64), rv = ones({2}, DType::Float64);
    batch_norm(x1, w, std::nullopt, rm, rv, training, 0.1, 1e-5, false).sum().backward();
    batch_norm(x2, w.contiguous(), std::nullopt, rm, rv, training, 0.1, 1e-5, false).sum().backward();
    EXPECT_EQ(x1.grad().to_double_vector(), x2.grad().to_double_vector());
  }
  Tensor x = from_vector({0, 0, 0, 0}, {2, 2}, DType::Float64).requires_grad_(true);
  batch_norm(x, w, std::nullopt, from_vector({-10, -10}, {2}, DType::Float64),
             from_vector({0.01, 0.01}, {2}, DType::Float64), false, 0.37, 0.0, false)
      .backward(full({2, 2}, 0.5, DType::Float64));
  EXPECT_DOUBLE_EQ(x.grad().to_double_vector()[1], 0.5 * -9.99 * 10);  // libtorch: -50
}

TEST(NnNorm, BatchNormInvstdIsZeroForZeroVarianceAndEps) {
  Tensor x = from_vector({3, 3}, {2, 1}, DType::Float64);
  std::vector<double> y = batch_norm(x, std::nullopt, from_vector({1.5}, {1}, DType::Float64), std::nullopt,
                                     std::nullopt, true, 0.1, 0.0, false)
                              .to_double_vector();
  EXPECT_EQ(y[0], 1.5);  // (x - mean) * 0 + bias, not NaN
}

TEST(NnNorm, EmbeddingPaddingRowAndFrequencyScaling) {
  Tensor w = test::rand_tensor({4, 2}, DType::Float64, 2).requires_grad_(true);
  Tensor idx = from_vector({1, 3, 1, 1}, {4}, DType::Int64);
  embedding(w, idx, 3, true).sum().backward();
  std::vector<double> g = w.grad().to_double_vector();
  EXPECT_EQ(g, (std::vector<double>{0, 0, 1, 1, 0, 0, 0, 0}));  // row 1: 3 hits / 3; row 3: padding
  EXPECT_THROW(embedding(w, from_vector({4}, {1}, DType::Int64)), Error);
  EXPECT_THROW(embedding(w, from_vector({1}, {1}, DType::Float32)), Error);
}

TEST(NnNorm, MessagesMatchLibtorch) {
  Tensor x = zeros({2, 3, 4});
  try {
    (void)layer_norm(x, {3});
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "Given normalized_shape=[3], expected input with shape [*, 3], but got input of size[2, 3, 4]");
  }
  try {
    (void)group_norm(zeros({2, 6, 3}), 4);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("Expected number of channels in input to be divisible by num_groups"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace ft
