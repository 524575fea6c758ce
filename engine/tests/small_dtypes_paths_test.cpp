// Half and BFloat16 kernels where libtorch's 16-bit path differs from its
// float one. Backward kernels in BFloat16: computed in float, rounded once, but walked
// as ATen walks the 16-bit tensors, so the vector/scalar split of
// cpu_kernel_vec falls at 32 elements (two 16-lane vectors), not at float's
// 16 (NOTE [ Matching ATen's vector paths ]). Expected values were produced
// with torch 1.13.1 (python3) on the same inputs.
// (Unity build: test names and helpers are unique to this file.)
#include "test_util.h"

namespace ft::test {
namespace {
Tensor bf16_grad_of(int64_t n, double fill, int64_t at, double v, const std::function<Tensor(const Tensor&)>& f) {
  std::vector<double> xs(size_t(n), fill);
  xs[size_t(at)] = v;
  Tensor x = vec(xs, DType::BFloat16);
  x.requires_grad_(true);
  f(x).backward(ones({n}, TensorOptions(DType::BFloat16)));
  return x.grad();
}
}  // namespace

TEST(SmallDtypesPaths, LogitAtNegativeZeroFollowsTheSixteenBitSplit) {
  // torch.logit(x).backward(ones) with x all -0.0: the scalar lambda (dy * inf)
  // gives +inf; the vector lambda (dy / (x (1 - x))) gives -inf.
  auto logit_fn = [](const Tensor& x) { return x.logit(); };
  Tensor g16 = bf16_grad_of(16, -0.0, 0, -0.0, logit_fn);  // all scalar: 16 < 32
  EXPECT_EQ(values(g16)[0], INFINITY);
  EXPECT_EQ(values(g16)[15], INFINITY);
  Tensor g32 = bf16_grad_of(32, -0.0, 0, -0.0, logit_fn);  // one vector chunk
  EXPECT_EQ(values(g32)[0], -INFINITY);
  EXPECT_EQ(values(g32)[31], -INFINITY);
}

TEST(SmallDtypesPaths, InplaceEluAtNaNFollowsTheSixteenBitSplit) {
  // elu_(x, alpha=1.5) backward from the result: the scalar lambda tests
  // r <= 0 (false for NaN: dy * scale = 1), the vector lambda r > 0 (NaN path).
  auto elu_fn = [](const Tensor& x) {
    Tensor y = x.clone();
    elu_(y, 1.5);
    return y;
  };
  Tensor g18 = bf16_grad_of(18, -10.0, 12, NAN, elu_fn);
  EXPECT_EQ(values(g18)[12], 1.0);
  EXPECT_EQ(values(g18)[0], 0.0);  // r = -1.5 in bfloat16, r + alpha = 0
  Tensor g32 = bf16_grad_of(32, -10.0, 12, NAN, elu_fn);
  EXPECT_TRUE(std::isnan(values(g32)[12]));
}

TEST(SmallDtypesPaths, CumprodWithAZeroRunsInBFloat16) {
  // libtorch composes this backward of tensor ops, so it has BFloat16 (not Half).
  Tensor x = vec({2.0, 0.0, 3.0, 0.5, 4.0}, DType::BFloat16);
  x.requires_grad_(true);
  x.cumprod(0).backward(vec({1.0, 2.0, 3.0, 4.0, 5.0}, DType::BFloat16));
  EXPECT_EQ(x.grad().dtype(), DType::BFloat16);
  EXPECT_EQ(values(x.grad()), (std::vector<double>{1.0, 94.0, 0.0, 0.0, 0.0}));
}

TEST(SmallDtypesPaths, HalfPowScalarHasNoSqrtSpecialCase) {
  // libtorch 1.13's Half pow is std::pow on every element: (-0) ** 0.5 is +0
  // (torch.tensor([-0.], dtype=torch.half) ** 0.5), where float32's sqrt path gives -0.
  Tensor h = vec({-0.0, 4.0}, DType::Float16).pow(0.5);
  EXPECT_FALSE(std::signbit(values(h)[0]));
  EXPECT_EQ(values(h)[1], 2.0);
  EXPECT_TRUE(std::signbit(values(vec({-0.0}, DType::Float32).pow(0.5))[0]));
}

}  // namespace ft::test
