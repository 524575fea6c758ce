// Module initialization parity with libtorch 1.13: after the same
// manual_seed, ft::nn::Conv2d and torch::nn::Conv2d hold bit-identical
// weights and biases, and leave the default generator in the same state
// (the next draws agree), over channel counts, kernel shapes, groups and
// with or without bias.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstring>

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

}  // namespace ft::nn_init_parity_test
