// Loss modules and torch.nn.functional's loss forms against torch 1.13
// values (printed by /usr/bin/python3 with torch 1.13; hex floats), plus the
// edge cases the op table's generators do not reach: libtorch's grad_fn
// names, the log clamp of binary_cross_entropy, every target ignored, and
// reduction strings. The ft:: ops themselves are differential-tested
// against libtorch by op_parity_test (engine/include/ft/ops/loss.def).
#include <gtest/gtest.h>

#include <cmath>

#include "ft/autograd.h"
#include "ft/nn/functional.h"
#include "ft/nn/loss.h"
#include "test_util.h"

namespace ft {
namespace {

namespace F = nn::functional;

constexpr DType D = DType::Float64;

Tensor scores() { return test::make({0.2, -1.3, 2.5, 1.0, 0.4, -0.7}, {2, 3}, D); }
Tensor soft() { return test::make({1, 0, 1, 0, 0.5, 1}, {2, 3}, D); }
Tensor classes() { return test::make({2, 0}, {2}, DType::Int64); }
Tensor class_weight() { return test::vec({0.5, 2.0, 1.5}, D); }

// Through exp/log (SLEEF vs libm): a few ulps; exact arithmetic otherwise.
void expect_close(const Tensor& t, double want) { EXPECT_NEAR(t.item<double>(), want, std::abs(want) * 4e-15); }

TEST(NnLoss, ModulesMatchTorch) {
  Tensor x = scores(), y = soft();
  EXPECT_EQ(nn::MSELoss()(x, y).item<double>(), 0x1.69d0369d0369dp+0);
  EXPECT_EQ(nn::L1Loss()(x, y).item<double>(), 0x1.1111111111111p+0);
  EXPECT_EQ(nn::SmoothL1Loss("mean", 0.5)(x, y).item<double>(), 0x1.afc962fc962fcp-1);
  EXPECT_EQ(nn::HuberLoss("sum", 0.5)(x, y).item<double>(), 0x1.43d70a3d70a3dp+1);
  EXPECT_EQ(nn::NLLLoss(class_weight())(x, classes()).item<double>(), -0x1.1000000000000p+1);
  expect_close(nn::CrossEntropyLoss(class_weight(), -100, "mean", 0.2)(x, classes()), 0x1.5e755efafec9fp-1);
  expect_close(nn::CrossEntropyLoss(Tensor(), 0, "sum", 0.1)(x, classes()), 0x1.46a9ce9f5051ap-2);
  Tensor probs = test::make({0.1, 0.3, 0.6, 0.5, 0.25, 0.25}, {2, 3}, D);
  expect_close(nn::CrossEntropyLoss(Tensor(), -100, "mean", 0.3)(x, probs), 0x1.6ede4d1b2225cp+0);
  expect_close(nn::BCEWithLogitsLoss(Tensor(), "mean", test::vec({1, 2, 3}, D))(x, y), 0x1.1c8214a53dfe7p+0);
  expect_close(nn::BCELoss(test::vec({1, 2, 3}, D))(x.sigmoid(), y), 0x1.3a44d0f7f0287p+0);
  expect_close(nn::KLDivLoss("batchmean")(x, y), -0x1.45f61f978e0d8p+0);
  expect_close(nn::CosineEmbeddingLoss(0.1)(x, y, test::vec({1, -1}, D)), 0x1.4bef334e57abcp-3);
  EXPECT_EQ(nn::MarginRankingLoss(0.5)(x.select(0, 0), y.select(0, 0), test::vec({1, -1, 1}, D)).item<double>(),
            0x1.bbbbbbbbbbbbcp-2);
}

TEST(NnLoss, WeightBuffersAreNamedAsPyTorch) {
  nn::BCEWithLogitsLoss both(class_weight(), "mean", class_weight());
  auto sd = both.state_dict();
  ASSERT_EQ(sd.size(), 2u);
  EXPECT_EQ(sd[0].first, "weight");
  EXPECT_EQ(sd[1].first, "pos_weight");
  EXPECT_TRUE(nn::CrossEntropyLoss().state_dict().empty());
  EXPECT_THROW(nn::MSELoss("avg"), Error);
}

TEST(NnLoss, GradientsMatchTorch) {
  Tensor x = scores();
  x.requires_grad_(true);
  nn::CrossEntropyLoss{class_weight()}(x, classes()).backward();
  const double want[] = {0x1.1259fec2c7c9ep-4, 0x1.e9ba94a8ed6eep-7, -0x1.4f915157e5782p-4,
                         -0x1.b09a85b183feap-4, 0x1.4490b28d651fep-4, 0x1.b0274c907b7a5p-6};
  std::vector<double> g = x.grad().to_double_vector();
  for (size_t i = 0; i < 6; ++i) EXPECT_NEAR(g[i], want[i], std::abs(want[i]) * 1e-14);
  Tensor p = scores().sigmoid().detach();
  p.requires_grad_(true);
  nn::BCELoss()(p, soft()).backward();
  const double wb[] = {-0x1.36658f20775c8p-2, 0x1.b25b865844b80p-3, -0x1.715a07ab71458p-3,
                       0x1.3d4b1b20d8f9cp-1,  0x1.18682bfae09e1p-4, -0x1.012c6eb6f065ap-1};
  g = p.grad().to_double_vector();
  for (size_t i = 0; i < 6; ++i) EXPECT_NEAR(g[i], wb[i], std::abs(wb[i]) * 1e-14);
}

TEST(NnLoss, GradFnNamesAreLibtorchs) {
  Tensor x = scores(), y = soft();
  x.requires_grad_(true);
  EXPECT_EQ(mse_loss(x, y).grad_fn()->name(), "MseLossBackward0");
  EXPECT_EQ(smooth_l1_loss(x, y).grad_fn()->name(), "SmoothL1LossBackward0");
  EXPECT_EQ(huber_loss(x, y).grad_fn()->name(), "HuberLossBackward0");
  EXPECT_EQ(binary_cross_entropy_with_logits(x, y).grad_fn()->name(), "BinaryCrossEntropyWithLogitsBackward0");
  EXPECT_EQ(nll_loss(x, classes()).grad_fn()->name(), "NllLossBackward0");
  EXPECT_EQ(l1_loss(x, y).grad_fn()->name(), "MeanBackward0");
  Tensor ce = cross_entropy_loss(x, classes());
  EXPECT_EQ(ce.grad_fn()->name(), "NllLossBackward0");
  EXPECT_EQ(ce.grad_fn()->next_edges()[0].fn->name(), "LogSoftmaxBackward0");
  Tensor p = x.sigmoid();
  EXPECT_EQ(binary_cross_entropy(p, y).grad_fn()->name(), "BinaryCrossEntropyBackward0");
}

TEST(NnLoss, BinaryCrossEntropyClampsLogsAndChecksRange) {
  Tensor x = test::vec({0, 1}, D), t = test::vec({1, 0}, D);
  EXPECT_EQ(binary_cross_entropy(x, t, std::nullopt, Reduction::None).to_double_vector(),
            (std::vector<double>{100, 100}));
  x.requires_grad_(true);
  binary_cross_entropy(x, test::vec({0.2, 0.9}, D), std::nullopt, Reduction::Sum).backward();
  // g (x - t) / max((1 - x) x, 1e-12), as torch: [-2e11, 1e11].
  EXPECT_EQ(x.grad().to_double_vector(), (std::vector<double>{-0x1.74876e98f948ep+37, 0x1.74876e98f948cp+36}));
  EXPECT_THROW(binary_cross_entropy(test::vec({1.5}, D), test::vec({1}, D)), Error);
  EXPECT_THROW(binary_cross_entropy(test::vec({std::nan("")}, D), test::vec({1}, D)), Error);
  EXPECT_THROW(F::binary_cross_entropy(test::vec({0.5, 0.5}, D), test::make({1, 1}, {2, 1}, D)), Error);
}

TEST(NnLoss, EveryTargetIgnoredGivesNaNMeanAndZeroGradient) {
  Tensor x = scores();
  x.requires_grad_(true);
  Tensor ignored = test::make({-100, -100}, {2}, DType::Int64);
  Tensor l = nll_loss(x, ignored);
  EXPECT_TRUE(std::isnan(l.item<double>()));
  EXPECT_EQ(nll_loss(x, ignored, std::nullopt, Reduction::Sum).item<double>(), 0.0);
  l.backward();
  EXPECT_EQ(x.grad().to_double_vector(), std::vector<double>(6, 0.0));
  EXPECT_THROW(nll_loss(x, test::make({0, 3}, {2}, DType::Int64)), Error);  // Target 3 is out of bounds.
}

TEST(NnLoss, ReductionStrings) {
  Tensor x = scores(), y = soft();
  EXPECT_EQ(F::mse_loss(x, y, "none").sizes().vec(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(F::mse_loss(x, y, "sum").item<double>(), mse_loss(x, y, Reduction::Sum).item<double>());
  EXPECT_THROW(F::l1_loss(x, y, "batchmean"), Error);
  // F.mse_loss broadcasts input and target first (PyTorch warns).
  EXPECT_EQ(F::mse_loss(x, test::vec({1, 2, 3}, D), "none").sizes().vec(), (std::vector<int64_t>{2, 3}));
}

}  // namespace
}  // namespace ft
