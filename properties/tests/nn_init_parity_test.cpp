// Module initialization parity with libtorch 1.13: after the same
// manual_seed, ft::nn::Conv2d and torch::nn::Conv2d hold bit-identical
// weights and biases, and leave the default generator in the same state
// (the next draws agree), over channel counts, kernel shapes, groups and
// with or without bias.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstring>

#include "ft/nn/bilinear.h"
#include "ft/nn/conv1d.h"
#include "ft/nn/conv_transpose.h"
#include "ft/nn/modules.h"
#include "ft/random.h"

namespace ft::nn_init_parity_test {

::testing::AssertionResult same_bits(const at::Tensor& a, const Tensor& b) {
  if (!a.defined() || !b.defined()) return ::testing::AssertionFailure() << "undefined tensor";
  if (std::vector<int64_t>(a.sizes().begin(), a.sizes().end()) != b.sizes().vec())
    return ::testing::AssertionFailure() << "shape differs";
  at::Tensor ac = a.detach().contiguous();
  Tensor bc = b.detach().contiguous();
  if (ac.element_size() != bc.element_size()) return ::testing::AssertionFailure() << "dtype differs";
  if (std::memcmp(ac.data_ptr(), bc.data_ptr(), size_t(bc.numel() * bc.element_size())) != 0)
    return ::testing::AssertionFailure() << "values differ";
  return ::testing::AssertionSuccess();
}

struct ConvCfg {
  int64_t in, out, kh, kw, groups;
  bool bias;
};

TEST(NnInitParity, Conv2dMatchesLibtorchBitForBit) {
  const ConvCfg cfgs[] = {{1, 1, 1, 1, 1, true},  {3, 8, 3, 3, 1, true},   {16, 32, 3, 3, 1, true},
                          {4, 6, 2, 5, 2, true},  {6, 6, 3, 3, 6, false},  {5, 7, 1, 1, 1, true},
                          {8, 4, 7, 7, 4, true},  {2, 3, 3, 1, 1, false}};
  for (uint64_t seed : {0ull, 1ull, 42ull, 123456789ull})
    for (const ConvCfg& c : cfgs) {
      torch::manual_seed(seed);
      torch::nn::Conv2d theirs(
          torch::nn::Conv2dOptions(c.in, c.out, {c.kh, c.kw}).groups(c.groups).bias(c.bias));
      at::Tensor their_next = at::rand({7});
      manual_seed(seed);
      nn::Conv2dOptions o;
      o.in_channels = c.in;
      o.out_channels = c.out;
      o.kernel_size = {c.kh, c.kw};
      o.groups = c.groups;
      o.bias = c.bias;
      nn::Conv2d ours(o);
      Tensor our_next = rand({7});
      EXPECT_TRUE(same_bits(theirs->weight, ours.weight())) << "seed " << seed << " in " << c.in << " out " << c.out;
      EXPECT_EQ(theirs->bias.defined(), ours.bias().defined());
      if (c.bias) {
        EXPECT_TRUE(same_bits(theirs->bias, ours.bias())) << "seed " << seed << " in " << c.in;
      }
      EXPECT_TRUE(same_bits(their_next, our_next)) << "generator state differs after init, seed " << seed;
    }
}

TEST(NnInitParity, Conv2dForwardMatchesLibtorch) {
  // Same seed -> same parameters and inputs -> the same forward within float rounding.
  torch::manual_seed(7);
  torch::nn::Conv2d theirs(torch::nn::Conv2dOptions(3, 5, 3).padding(1).stride(2));
  at::Tensor x = at::randn({2, 3, 9, 8});
  manual_seed(7);
  nn::Conv2d ours(3, 5, 3, 2, 1);
  Tensor xe = randn({2, 3, 9, 8});
  at::Tensor y = theirs->forward(x).contiguous();
  Tensor ye = ours.forward(xe).contiguous();
  ASSERT_EQ(y.numel(), ye.numel());
  const float* a = y.data_ptr<float>();
  const float* b = ye.data_ptr<float>();
  for (int64_t i = 0; i < y.numel(); ++i) EXPECT_NEAR(a[i], b[i], 1e-5) << i;
}


// ---- normalization, embedding and dropout modules ---------------------------------------
// Same seed and inputs: the same initial state (bit for bit), the same
// outputs and parameter gradients (float rounding), and for BatchNorm the
// same running statistics and num_batches_tracked after training steps in
// train mode, then the same eval-mode output.

Tensor from_aten_f32(const at::Tensor& t) {
  at::Tensor c = t.detach().contiguous().to(at::kDouble);
  std::vector<double> v(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
  return from_vector(v, std::vector<int64_t>(t.sizes().begin(), t.sizes().end()), DType::Float32);
}

double max_diff(const at::Tensor& a, const Tensor& b) {
  at::Tensor ac = a.detach().contiguous().to(at::kDouble);
  std::vector<double> bv = b.to_double_vector();
  double m = 0;
  for (int64_t i = 0; i < ac.numel(); ++i) m = std::max(m, std::abs(ac.data_ptr<double>()[i] - bv[size_t(i)]));
  return ac.numel() == int64_t(bv.size()) ? m : 1e30;
}

TEST(NnNormParity, BatchNorm2dTrainingStepsAndEval) {
  torch::manual_seed(3);
  torch::nn::BatchNorm2d theirs(torch::nn::BatchNorm2dOptions(4).momentum(0.2));
  manual_seed(3);
  nn::BatchNorm2d ours(4, 1e-5, 0.2);
  for (int step = 0; step < 3; ++step) {
    at::Tensor x = at::randn({5, 4, 3, 2}) * 2 + 1;
    x.requires_grad_(true);
    Tensor xe = from_aten_f32(x).requires_grad_(true);
    at::Tensor y = theirs->forward(x);
    Tensor ye = ours.forward(xe);
    EXPECT_LT(max_diff(y, ye), 2e-6) << "step " << step;
    at::Tensor g = at::linspace(-1, 1, y.numel()).view(y.sizes());
    y.backward(g);
    ye.backward(from_aten_f32(g));
    EXPECT_LT(max_diff(x.grad(), xe.grad()), 2e-5);
    EXPECT_LT(max_diff(theirs->weight.grad(), ours.param("weight").grad()), 2e-4);
    EXPECT_LT(max_diff(theirs->bias.grad(), ours.param("bias").grad()), 2e-4);
  }
  EXPECT_LT(max_diff(theirs->running_mean, ours.param("running_mean")), 1e-6);
  EXPECT_LT(max_diff(theirs->running_var, ours.param("running_var")), 1e-5);
  EXPECT_EQ(theirs->num_batches_tracked.item<int64_t>(), int64_t(ours.param("num_batches_tracked").to_double_vector()[0]));
  theirs->eval();
  ours.eval();
  at::Tensor x = at::randn({2, 4, 3, 3});
  EXPECT_LT(max_diff(theirs->forward(x), ours.forward(from_aten_f32(x))), 2e-6);
}

TEST(NnNormParity, LayerNormGroupNormForwardAndGrads) {
  torch::nn::LayerNorm ln(torch::nn::LayerNormOptions({3, 4}));
  torch::nn::GroupNorm gn(torch::nn::GroupNormOptions(2, 6));
  nn::LayerNorm oln({3, 4});
  nn::GroupNorm ogn(2, 6);
  EXPECT_TRUE(same_bits(ln->weight, oln.param("weight")));
  EXPECT_TRUE(same_bits(gn->bias, ogn.param("bias")));
  torch::manual_seed(5);
  at::Tensor x = torch::randn({2, 3, 4}, torch::requires_grad());
  at::Tensor z = torch::randn({2, 6, 5}, torch::requires_grad());
  Tensor xe = from_aten_f32(x).requires_grad_(true), ze = from_aten_f32(z).requires_grad_(true);
  at::Tensor y1 = ln->forward(x), y2 = gn->forward(z);
  Tensor e1 = oln.forward(xe), e2 = ogn.forward(ze);
  EXPECT_LT(max_diff(y1, e1), 2e-6);
  EXPECT_LT(max_diff(y2, e2), 2e-6);
  (y1 * y1).sum().backward();
  (y2 * y2.sin()).sum().backward();
  (e1 * e1).sum().backward();
  (e2 * e2.sin()).sum().backward();
  EXPECT_LT(max_diff(x.grad(), xe.grad()), 2e-5);
  EXPECT_LT(max_diff(z.grad(), ze.grad()), 2e-5);
  EXPECT_LT(max_diff(ln->weight.grad(), oln.param("weight").grad()), 2e-5);
  EXPECT_LT(max_diff(gn->weight.grad(), ogn.param("weight").grad()), 2e-5);
}

TEST(NnNormParity, EmbeddingInitAndGradientWithPadding) {
  for (uint64_t seed : {0ull, 9ull}) {
    torch::manual_seed(seed);
    torch::nn::Embedding theirs(torch::nn::EmbeddingOptions(7, 3).padding_idx(-2));
    at::Tensor their_next = at::rand({3});
    manual_seed(seed);
    nn::Embedding ours(7, 3, -2);
    Tensor our_next = rand({3});
    EXPECT_TRUE(same_bits(theirs->weight, ours.param("weight"))) << "seed " << seed;
    EXPECT_TRUE(same_bits(their_next, our_next));
    at::Tensor idx = at::tensor({5, 1, 5, 0, 3, 5}, at::kLong).view({2, 3});
    Tensor idxe = from_vector({5, 1, 5, 0, 3, 5}, {2, 3}, DType::Int64);
    at::Tensor y = theirs->forward(idx);
    Tensor ye = ours.forward(idxe);
    EXPECT_TRUE(same_bits(y, ye));
    (y * y).sum().backward();
    (ye * ye).sum().backward();
    EXPECT_LT(max_diff(theirs->weight.grad(), ours.param("weight").grad()), 1e-6);
  }
}

TEST(NnNormParity, DropoutMaskMatchesLibtorch) {
  torch::manual_seed(11);
  torch::nn::Dropout theirs(torch::nn::DropoutOptions(0.3));
  at::Tensor x = at::ones({1000});
  at::Tensor y = theirs->forward(x);
  manual_seed(11);
  nn::Dropout ours(0.3);
  Tensor ye = ours.forward(ones({1000}));
  EXPECT_TRUE(same_bits(y, ye));
  ours.eval();
  EXPECT_TRUE(same_bits(at::ones({4}), ours.forward(ones({4}))));
}

// ---- conv_extra modules: ConvTranspose2d, Conv1d (init bit for bit, generator
// state after init), MaxPool1d and AvgPool1d (forward on the same input).
TEST(NnInitParity, ConvTranspose2dAndConv1dMatchLibtorchBitForBit) {
  const ConvCfg cfgs[] = {{1, 1, 1, 1, 1, true}, {3, 8, 3, 3, 1, true}, {4, 6, 2, 5, 2, true},
                          {6, 6, 3, 3, 6, false}, {8, 4, 4, 4, 4, true}};
  for (uint64_t seed : {0ull, 5ull, 42ull})
    for (const ConvCfg& c : cfgs) {
      torch::manual_seed(seed);
      torch::nn::ConvTranspose2d theirs(
          torch::nn::ConvTranspose2dOptions(c.in, c.out, {c.kh, c.kw}).groups(c.groups).bias(c.bias));
      torch::nn::Conv1d their1(torch::nn::Conv1dOptions(c.in, c.out, c.kw).groups(c.groups).bias(c.bias));
      at::Tensor their_next = at::rand({7});
      manual_seed(seed);
      nn::ConvTransposeOptions o;
      o.in_channels = c.in;
      o.out_channels = c.out;
      o.kernel_size = {c.kh, c.kw};
      o.groups = c.groups;
      o.bias = c.bias;
      nn::ConvTranspose2d ours(o);
      nn::Conv1d our1(c.in, c.out, c.kw, 1, 0, 1, c.groups, c.bias);
      Tensor our_next = rand({7});
      EXPECT_TRUE(same_bits(theirs->weight, ours.weight())) << "seed " << seed << " in " << c.in << " out " << c.out;
      EXPECT_TRUE(same_bits(their1->weight, our1.weight())) << "seed " << seed << " in " << c.in << " out " << c.out;
      if (c.bias) {
        EXPECT_TRUE(same_bits(theirs->bias, ours.bias())) << "seed " << seed << " in " << c.in;
        EXPECT_TRUE(same_bits(their1->bias, our1.bias())) << "seed " << seed << " in " << c.in;
      }
      EXPECT_TRUE(same_bits(their_next, our_next)) << "generator state differs after init, seed " << seed;
    }
}

TEST(NnInitParity, BilinearMatchesLibtorchBitForBit) {
  for (uint64_t seed : {0ull, 3ull, 99ull})
    for (bool bias : {true, false}) {
      torch::manual_seed(seed);
      torch::nn::Bilinear theirs(torch::nn::BilinearOptions(3, 5, 4).bias(bias));
      at::Tensor their_next = at::rand({7});
      manual_seed(seed);
      nn::Bilinear ours(3, 5, 4, bias);
      Tensor our_next = rand({7});
      EXPECT_TRUE(same_bits(theirs->weight, ours.weight())) << "seed " << seed;
      if (bias) EXPECT_TRUE(same_bits(theirs->bias, ours.bias())) << "seed " << seed;
      EXPECT_TRUE(same_bits(their_next, our_next)) << "generator state differs after init, seed " << seed;
    }
}

TEST(NnInitParity, ConvTranspose2dAndPool1dForwardMatchLibtorch) {
  torch::manual_seed(11);
  torch::nn::ConvTranspose2d theirs(torch::nn::ConvTranspose2dOptions(3, 4, 3).stride(2).padding(1).output_padding(1));
  at::Tensor x = at::randn({2, 3, 5, 4});
  at::Tensor x1 = at::randn({2, 3, 9});
  manual_seed(11);
  nn::ConvTranspose2d ours(3, 4, 3, 2, 1, 1);
  Tensor xe = randn({2, 3, 5, 4});
  Tensor x1e = randn({2, 3, 9});
  EXPECT_LT(max_diff(theirs->forward(x), ours.forward(xe)), 1e-5);
  torch::nn::MaxPool1d their_mp(torch::nn::MaxPool1dOptions(3).stride(2).padding(1));
  torch::nn::AvgPool1d their_ap(torch::nn::AvgPool1dOptions(3).stride(2).padding(1).count_include_pad(false));
  EXPECT_EQ(max_diff(their_mp->forward(x1), nn::MaxPool1d(3, 2, 1).forward(x1e)), 0.0);
  EXPECT_LT(max_diff(their_ap->forward(x1), nn::AvgPool1d(3, 2, 1, false, false).forward(x1e)), 1e-6);
}

}  // namespace ft::nn_init_parity_test
