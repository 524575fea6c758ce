// Unary op family: values against hand/naive references, dtype rules, error
// messages, in-place/out= plumbing, and finite-difference gradients in float64.
// (Unity build: test names and helpers are unique to this file.)
#include <cmath>
#include <limits>

#include "test_util.h"

namespace ft::test {

TEST(UnaryOps, MathValuesMatchLibm) {
  Tensor x = vec({0.25, 0.5, 1.5, 3.0}, DType::Float64);
  std::vector<double> v = values(x), want;
  for (double e : v) want.push_back(std::log1p(e));
  EXPECT_TRUE(all_close(values(log1p(x)), want, 1e-15, 0));
  want.clear();
  for (double e : v) want.push_back(std::sin(e));
  EXPECT_TRUE(all_close(values(x.sin()), want, 1e-15, 0));
  want.clear();
  for (double e : v) want.push_back(std::lgamma(e));
  EXPECT_TRUE(all_close(values(lgamma(x)), want, 1e-14, 1e-15));
  EXPECT_TRUE(all_close(values(erfinv(vec({0.0, 0.5, 1.0, -1.0, 2.0}, DType::Float64))),
                        {0.0, 0.4769362762044699, INFINITY, -INFINITY, NAN}, 1e-12, 0));
  EXPECT_TRUE(all_close(values(digamma(vec({1.0, 0.0, -1.0}, DType::Float64))), {-0.5772156649015329, -INFINITY, NAN},
                        1e-12, 0));
}

TEST(UnaryOps, IntegerInputsPromoteToFloat32) {
  Tensor i = vec({1, 4, 9}, DType::Int64);
  EXPECT_EQ(sqrt(i).dtype(), DType::Float32);
  EXPECT_EQ(values(sqrt(i)), (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(sigmoid(vec({0}, DType::Bool)).dtype(), DType::Float32);
  FT_EXPECT_ERROR(i.sqrt_(), ErrorKind::Runtime, "can't be cast to the desired output type");
}

TEST(UnaryOps, ExactOpsKeepIntegerDtypes) {
  Tensor i = vec({-3, 0, 5}, DType::Int32);
  EXPECT_EQ(abs(i).dtype(), DType::Int32);
  EXPECT_EQ(values(abs(i)), (std::vector<double>{3, 0, 5}));
  EXPECT_EQ(values(sign(i)), (std::vector<double>{-1, 0, 1}));
  EXPECT_EQ(floor(i).dtype(), DType::Int32);
  FT_EXPECT_ERROR(abs(vec({1}, DType::Bool)), ErrorKind::NotImplemented, "not implemented for 'Bool'");
  FT_EXPECT_ERROR(frac(i), ErrorKind::NotImplemented, "frac_cpu");
}

TEST(UnaryOps, SignOfNanAndZeroIsPositiveZero) {
  Tensor r = sign(vec({NAN, -0.0, -2.0}, DType::Float64));
  std::vector<double> v = values(r);
  EXPECT_EQ(v[0], 0.0);
  EXPECT_FALSE(std::signbit(v[0]));
  EXPECT_FALSE(std::signbit(v[1]));
  EXPECT_EQ(v[2], -1.0);
}

TEST(UnaryOps, RoundHalfToEvenAndDecimals) {
  EXPECT_EQ(values(round(vec({0.5, 1.5, 2.5, -0.5}, DType::Float64))), (std::vector<double>{0, 2, 2, -0.0}));
  EXPECT_TRUE(all_close(values(round(vec({1.25, 1234.5}, DType::Float64), 1)), {1.2, 1234.5}, 1e-15, 0));
  EXPECT_EQ(values(round(vec({1234.5}, DType::Float64), -2)), (std::vector<double>{1200}));
  FT_EXPECT_ERROR(round(vec({1}, DType::Int64), 1), ErrorKind::NotImplemented, "round_cpu");
}

TEST(UnaryOps, ClampPromotionAndErrors) {
  Tensor i = vec({-2, 0, 7}, DType::Int64);
  EXPECT_EQ(clamp(i, Scalar(-1), Scalar(3)).dtype(), DType::Int64);
  EXPECT_EQ(values(clamp(i, Scalar(-1), Scalar(3))), (std::vector<double>{-1, 0, 3}));
  EXPECT_EQ(clamp(i, Scalar(0.5)).dtype(), DType::Float32);
  EXPECT_EQ(clamp(vec({1}, DType::Bool), Scalar(0), std::nullopt).dtype(), DType::Int64);
  FT_EXPECT_ERROR(clamp(i, std::nullopt, std::nullopt), ErrorKind::Runtime, "At least one of 'min' or 'max'");
  EXPECT_TRUE(std::isnan(values(clip(vec({NAN}, DType::Float64), Scalar(0), Scalar(1)))[0]));
}

TEST(UnaryOps, PredicatesReturnBool) {
  Tensor x = vec({NAN, INFINITY, -1.0, -0.0}, DType::Float32);
  EXPECT_EQ(isnan(x).dtype(), DType::Bool);
  EXPECT_EQ(values(isnan(x)), (std::vector<double>{1, 0, 0, 0}));
  EXPECT_EQ(values(isinf(x)), (std::vector<double>{0, 1, 0, 0}));
  EXPECT_EQ(values(isfinite(x)), (std::vector<double>{0, 0, 1, 1}));
  EXPECT_EQ(values(signbit(x)), (std::vector<double>{0, 0, 1, 1}));
}

TEST(UnaryOps, ActivationsAgainstFormulas) {
  Tensor x = vec({-2.0, -0.5, 0.0, 1.0, 4.0}, DType::Float64);
  std::vector<double> v = values(x), gelu_w, silu_w, elu_w, hs_w;
  for (double e : v) {
    gelu_w.push_back(0.5 * e * (1 + std::erf(e / std::sqrt(2.0))));
    silu_w.push_back(e / (1 + std::exp(-e)));
    elu_w.push_back(e <= 0 ? 2 * (std::exp(e) - 1) : e);
    hs_w.push_back(e * std::min(std::max(e + 3, 0.0), 6.0) / 6);
  }
  EXPECT_TRUE(all_close(values(gelu(x)), gelu_w, 1e-14, 1e-15));
  EXPECT_TRUE(all_close(values(silu(x)), silu_w, 1e-14, 1e-15));
  EXPECT_TRUE(all_close(values(elu(x, 2)), elu_w, 1e-14, 1e-15));
  EXPECT_TRUE(all_close(values(hardswish(x)), hs_w, 1e-15, 0));
  EXPECT_EQ(values(hardtanh(vec({3, -2}, DType::Int64), -1.5, 1.5)), (std::vector<double>{1, -1}));
  FT_EXPECT_ERROR(gelu(x, "erf"), ErrorKind::Runtime, "approximate argument must be either none or tanh");
  FT_EXPECT_ERROR(silu(vec({1}, DType::Int64)), ErrorKind::NotImplemented, "silu_cpu");
}

TEST(UnaryOps, InplaceAndOutForms) {
  Tensor x = vec({0.25, 4.0}, DType::Float64);
  uint32_t v0 = x._version();
  x.sqrt_();
  EXPECT_EQ(values(x), (std::vector<double>{0.5, 2.0}));
  EXPECT_GT(x._version(), v0);
  Tensor out = empty({0}, DType::Float64);
  exp2_out(out, vec({3.0}, DType::Float64));
  EXPECT_EQ(values(out), (std::vector<double>{8.0}));
  Tensor iout = empty({0}, DType::Int64);
  FT_EXPECT_ERROR(sin_out(iout, vec({1.0})), ErrorKind::Runtime, "can't be cast");
}

TEST(UnaryOps, GradientsMatchFiniteDifferences) {
  Tensor x = vec({0.3, 0.45, 0.7}, DType::Float64);
  auto check = [&](Tensor (*f)(const Tensor&)) {
    EXPECT_TRUE(gradcheck([f](const Tensor& t) { return f(t).sum(); }, x, 1e-6));
  };
  for (auto f : {exp2, expm1, log2, log10, log1p, sqrt, rsqrt, reciprocal, sin, cos, tan, asin, acos, atan, sinh,
                 cosh, asinh, atanh, sigmoid, erf, erfc, erfinv, lgamma, digamma, abs, frac, silu, mish,
                 hardsigmoid, hardswish})
    check(f);
  Tensor big = vec({1.5, 2.0, 3.25}, DType::Float64);
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return acosh(t).sum(); }, big, 1e-6));
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return logit(t).sum(); }, x, 1e-6));
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return gelu(t, "tanh").sum(); }, x, 1e-6));
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return gelu(t).sum(); }, x, 1e-6));
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return softplus(t, 2, 20).sum(); }, x, 1e-6));
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return elu(t.add(Scalar(-0.5)), 1.5).sum(); }, x, 1e-6));
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return leaky_relu(t.add(Scalar(-0.5)), 0.2).sum(); }, x, 1e-6));
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return clamp(t, Scalar(0.4), Scalar(0.6)).sum(); }, x, 1e-6));
}

TEST(UnaryOps, KinkSubgradientsFollowPyTorch) {
  auto grad_at = [](Tensor (*f)(const Tensor&), double v) {
    Tensor leaf = vec({v}, DType::Float64).requires_grad_(true);
    f(leaf).sum().backward();
    return values(leaf.grad())[0];
  };
  EXPECT_EQ(grad_at(abs, 0.0), 0.0);        // sgn(0) = 0
  EXPECT_EQ(grad_at(floor, 1.5), 0.0);      // zero almost everywhere
  EXPECT_EQ(grad_at(hardswish, 3.0), 1.5);  // x/3 + 1/2 at the right kink
  Tensor leaf = vec({-1.0, 1.0}, DType::Float64).requires_grad_(true);
  hardtanh(leaf).sum().backward();  // 0 at the bounds
  EXPECT_EQ(values(leaf.grad()), (std::vector<double>{0, 0}));
}

}  // namespace ft::test
