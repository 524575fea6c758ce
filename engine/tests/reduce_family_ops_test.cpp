// Engine-only tests of the reduce family (amax/amin, max/min, argmax,
// nansum, prod, logsumexp, var/std, norms, all/any/count_nonzero, scans,
// softmax): naive references, dtype rules, tie/NaN rules, errors, and
// finite-difference gradients in float64.
#include <cmath>
#include <limits>

#include "test_util.h"

// A named namespace: the test binary is a unity build (anonymous-namespace
// names of different files would collide).
namespace ft::reduce_family_test {

using test::make;
using test::values;
using test::vec;
const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kPosInf = std::numeric_limits<double>::infinity();

// A scalar projection so gradchecks see every output element.
Tensor proj(const Tensor& y) {
  Tensor w = test::rand_tensor(y.sizes(), y.dtype(), 7);
  return (y * w).sum();
}

TEST(ReduceFamily, AmaxDimsKeepdimAndTies) {
  Tensor x = make({1, 5, 5, 2, 0, 3}, {2, 3});
  EXPECT_EQ(values(amax(x, {1})), (std::vector<double>{5, 3}));
  EXPECT_EQ(test::shape(amax(x, {-1}, true)), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(values(amin(x, {0, 1})), (std::vector<double>{0}));
  // ties share the gradient evenly
  Tensor leaf = x.to(DType::Float64).requires_grad_(true);
  amax(leaf, {1}).sum().backward();
  EXPECT_EQ(values(leaf.grad()), (std::vector<double>{0, 0.5, 0.5, 0, 0, 1}));
  FT_EXPECT_ERROR(amax(x, {0, -2}), ErrorKind::Runtime, "appears multiple times");
  FT_EXPECT_ERROR(amax(zeros({0, 3}), {0}), ErrorKind::Index, "Expected reduction dim 0 to have non-zero size");
  FT_EXPECT_ERROR(amax(zeros({0, 3})), ErrorKind::Runtime, "Expected reduction dim to be specified");
  EXPECT_EQ(test::shape(amax(zeros({0, 3}), {1})), (std::vector<int64_t>{0}));
}

TEST(ReduceFamily, MaxDimIndicesFirstTieFirstNaN) {
  Tensor x = vec({3, 1, 3, 1, 2, 2});
  auto [v, i] = max(x, 0);
  EXPECT_EQ(v.item<float>(), 3.f);
  EXPECT_EQ(i.item<int64_t>(), 0);
  auto [v2, i2] = min(x, 0);
  EXPECT_EQ(i2.item<int64_t>(), 1);
  Tensor y = vec({1, kNaN, 3, kNaN});
  EXPECT_EQ(std::get<1>(max(y, 0)).item<int64_t>(), 1);
  EXPECT_TRUE(std::isnan(max(y).item<float>()));
  EXPECT_EQ(argmax(y).item<int64_t>(), 1);
  EXPECT_EQ(argmin(x).item<int64_t>(), 1);
  FT_EXPECT_ERROR(argmax(vec({1}, DType::Bool)), ErrorKind::NotImplemented, "argmax_cpu");
  EXPECT_EQ(test::shape(argmax(ones({2, 3}), std::nullopt, true)), (std::vector<int64_t>{1, 1}));
}

TEST(ReduceFamily, CummaxTiesMoveToLaterIndex) {
  auto [v, i] = cummax(vec({1, 0, 1, 1}, DType::Bool), 0);
  EXPECT_EQ(values(i), (std::vector<double>{0, 0, 2, 3}));
  auto [v2, i2] = cummin(vec({2, kNaN, 1}), 0);
  EXPECT_TRUE(std::isnan(values(v2)[2]));
  EXPECT_EQ(values(i2), (std::vector<double>{0, 1, 1}));
}

TEST(ReduceFamily, DtypeRules) {
  Tensor xi = make({1, 2, 3, 4}, {2, 2}, DType::Int32);
  EXPECT_EQ(prod(xi).dtype(), DType::Int64);
  EXPECT_EQ(prod(xi).item<int64_t>(), 24);
  EXPECT_EQ(nansum(xi).dtype(), DType::Int64);
  EXPECT_EQ(cumsum(xi, 1).dtype(), DType::Int64);
  EXPECT_EQ(logsumexp(xi, {1}).dtype(), DType::Float32);
  EXPECT_EQ(amax(xi).dtype(), DType::Int32);
  EXPECT_EQ(all(xi).dtype(), DType::Bool);
  EXPECT_EQ(count_nonzero(xi, {}).dtype(), DType::Int64);
  FT_EXPECT_ERROR(var(xi, {}, 1), ErrorKind::Runtime, "std and var only support floating point");
  FT_EXPECT_ERROR(softmax(xi, 0), ErrorKind::NotImplemented, "softmax");
  EXPECT_EQ(softmax(xi, 0, DType::Float64).dtype(), DType::Float64);
  FT_EXPECT_ERROR(linalg_vector_norm(xi), ErrorKind::Runtime, "floating point");
}

TEST(ReduceFamily, EmptyAndIdentity) {
  EXPECT_EQ(prod(zeros({0})).item<float>(), 1.f);
  EXPECT_EQ(nansum(zeros({0, 3}), {0}).numel(), 3);
  EXPECT_TRUE(std::isnan(var(zeros({0}), {}, 1).item<float>()));
  EXPECT_TRUE(all(zeros({0})).item<bool>());
  EXPECT_FALSE(any(zeros({0})).item<bool>());
  EXPECT_EQ(logsumexp(zeros({0, 2}), {0}).to_double_vector()[0], -kPosInf);
  FT_EXPECT_ERROR(linalg_vector_norm(zeros({0}), kPosInf), ErrorKind::Runtime, "inf norm");
}

TEST(ReduceFamily, NaNRules) {
  Tensor x = vec({1, kNaN, 2});
  EXPECT_EQ(nansum(x).item<float>(), 3.f);
  EXPECT_TRUE(std::isnan(amax(x).item<float>()));
  EXPECT_TRUE(any(vec({0, kNaN})).item<bool>());
  EXPECT_EQ(count_nonzero(vec({0, kNaN, 1}), {}).item<int64_t>(), 2);
  EXPECT_EQ(logsumexp(vec({kPosInf, kPosInf}), {0}).item<float>(), float(kPosInf));
}

TEST(ReduceFamily, VarCorrectionReference) {
  Tensor x = test::rand_tensor({3, 4}, DType::Float64, 3);
  std::vector<double> v = values(x);
  for (int64_t c : {0, 1, 2}) {
    std::vector<double> want;
    for (int r = 0; r < 3; ++r) {
      double m = 0, s = 0;
      for (int j = 0; j < 4; ++j) m += v[size_t(r * 4 + j)] / 4;
      for (int j = 0; j < 4; ++j) s += (v[size_t(r * 4 + j)] - m) * (v[size_t(r * 4 + j)] - m);
      want.push_back(s / double(4 - c));
    }
    EXPECT_TRUE(test::all_close(values(var(x, {1}, c)), want, 1e-12, 1e-12));
  }
}

TEST(ReduceFamily, CumsumIsSequentialDoubleAccumulation) {
  Tensor x = vec({1e8f, 1, -1e8f, 1});
  std::vector<double> got = values(cumsum(x, 0));
  // a double accumulator keeps the 1 that a float one would lose
  EXPECT_EQ(got[2], 1.0);
  EXPECT_EQ(got[3], 2.0);
}

TEST(ReduceFamily, Gradchecks) {
  Tensor x = test::rand_tensor({3, 4}, DType::Float64, 11);
  EXPECT_TRUE(test::gradcheck([](const Tensor& t) { return proj(logsumexp(t, {1})); }, x));
  EXPECT_TRUE(test::gradcheck([](const Tensor& t) { return proj(var(t, {0}, 1, true)); }, x));
  EXPECT_TRUE(test::gradcheck([](const Tensor& t) { return proj(std(t, {1}, 0)); }, x));
  EXPECT_TRUE(test::gradcheck([](const Tensor& t) { return proj(prod(t, 1)); }, x));
  EXPECT_TRUE(test::gradcheck([](const Tensor& t) { return proj(prod(t)); }, x));
  EXPECT_TRUE(test::gradcheck([](const Tensor& t) { return proj(cumsum(t, 1)); }, x));
  EXPECT_TRUE(test::gradcheck([](const Tensor& t) { return proj(cumprod(t, 0)); }, x));
  EXPECT_TRUE(test::gradcheck([](const Tensor& t) { return proj(softmax(t, 1)); }, x));
  EXPECT_TRUE(test::gradcheck([](const Tensor& t) { return proj(log_softmax(t, 0)); }, x));
  EXPECT_TRUE(test::gradcheck([](const Tensor& t) { return proj(linalg_vector_norm(t, 2, {1})); }, x));
  EXPECT_TRUE(test::gradcheck([](const Tensor& t) { return proj(linalg_vector_norm(t, 1, {0})); }, x));
  EXPECT_TRUE(test::gradcheck([](const Tensor& t) { return proj(linalg_vector_norm(t, kPosInf, {1})); }, x));
  EXPECT_TRUE(test::gradcheck([](const Tensor& t) { return proj(nansum(t, {0})); }, x));
  EXPECT_TRUE(test::gradcheck([](const Tensor& t) { return proj(amax(t, {1})); }, x));
  EXPECT_TRUE(test::gradcheck([](const Tensor& t) { return proj(std::get<0>(max(t, 0))); }, x));
  EXPECT_TRUE(test::gradcheck([](const Tensor& t) { return proj(std::get<0>(cummax(t, 1))); }, x));
}

TEST(ReduceFamily, ProdGradWithZeros) {
  // one zero: d/dx_zero = product of the others; the rest 0
  Tensor x = make({2, 0, 3, 4, 5, 0}, {2, 3}, DType::Float64);
  Tensor leaf = x.clone().requires_grad_(true);
  prod(leaf, 1).sum().backward();
  EXPECT_EQ(values(leaf.grad()), (std::vector<double>{0, 6, 0, 0, 0, 20}));
  EXPECT_TRUE(test::gradcheck([](const Tensor& t) { return proj(cumprod(t, 1)); }, x, 1e-4));
}

TEST(ReduceFamily, MedianIndexIsLowerMedianInValueIndexOrder) {
  // sorted (value, index): (1,1) (1,3) (2,4) (2,5) (3,0) (3,2); lower median = (2,4)
  auto [v, i] = median(vec({3, 1, 3, 1, 2, 2}), 0);
  EXPECT_EQ(v.item<float>(), 2.f);
  EXPECT_EQ(i.item<int64_t>(), 4);
  auto [v2, i2] = median(vec({2, 1, 2, 2, 5, 2}), 0);
  EXPECT_EQ(i2.item<int64_t>(), 2);
  auto [v3, i3] = median(vec({1, kNaN, 3, kNaN}), 0);  // the first NaN
  EXPECT_TRUE(std::isnan(v3.item<float>()));
  EXPECT_EQ(i3.item<int64_t>(), 1);
  EXPECT_EQ(median(vec({4, 1, 3, 2})).item<float>(), 2.f);
  EXPECT_EQ(median(zeros({0}, DType::Int64)).item<int64_t>(), std::numeric_limits<int64_t>::min());
  FT_EXPECT_ERROR(median(vec({1}, DType::Bool), 0), ErrorKind::NotImplemented, "median_out");
}

TEST(ReduceFamily, AminmaxAndArgmaxTrivialReductions) {
  auto [mn, mx] = aminmax(make({1, 5, -2, 4}, {2, 2}), 1);
  EXPECT_EQ(values(mn), (std::vector<double>{1, -2}));
  EXPECT_EQ(values(mx), (std::vector<double>{5, 4}));
  auto [a0, b0] = aminmax(scalar_tensor(3.0), 0, true);  // 1.13 resizes to [1]
  EXPECT_EQ(test::shape(a0), (std::vector<int64_t>{1}));
  // a length-1 reduction runs no kernel: bool is accepted there
  EXPECT_EQ(argmax(make({1, 0}, {2, 1}, DType::Bool), 1).numel(), 2);
}

TEST(ReduceFamily, NormsAndFrobenius) {
  Tensor x = make({3, -4, 0, 0}, {2, 2});
  EXPECT_EQ(values(linalg_vector_norm(x, 2, {1})), (std::vector<double>{5, 0}));
  EXPECT_EQ(values(linalg_vector_norm(x, 0, {1})), (std::vector<double>{2, 0}));
  EXPECT_EQ(values(linalg_vector_norm(x, -kPosInf, {1})), (std::vector<double>{3, 0}));
  EXPECT_EQ(values(frobenius_norm(x, {0, 1})), (std::vector<double>{5}));
  FT_EXPECT_ERROR(frobenius_norm(x, {0, -2}), ErrorKind::Runtime, "Expected dims to be different");
  EXPECT_EQ(norm(zeros({0}), kPosInf, {0}).item<float>(), 0.f);  // norm's empty inf is 0
  // p = 2 gradient at a zero norm is 0, not NaN
  Tensor leaf = zeros({3}, DType::Float64).requires_grad_(true);
  linalg_vector_norm(leaf, 2).backward();
  EXPECT_EQ(values(leaf.grad()), (std::vector<double>{0, 0, 0}));
}

TEST(ReduceFamily, VarMeanWelfordAndGrad) {
  auto [v, m] = var_mean(make({1, 2, 3, 4}, {2, 2}, DType::Float64), {1}, 1);
  EXPECT_EQ(values(v), (std::vector<double>{0.5, 0.5}));
  EXPECT_EQ(values(m), (std::vector<double>{1.5, 3.5}));
  // an inf followed by another value turns Welford's mean into NaN (as PyTorch)
  auto [v2, m2] = var_mean(vec({-kPosInf, 1}), {0}, 1);
  EXPECT_TRUE(std::isnan(m2.item<float>()));
  Tensor x = test::rand_tensor({2, 3}, DType::Float64, 5);
  EXPECT_TRUE(test::gradcheck([](const Tensor& t) { return proj(std::get<0>(var_mean(t, {1}, 0))); }, x));
  EXPECT_TRUE(test::gradcheck([](const Tensor& t) { return proj(std::get<1>(std_mean(t, {0}, 1))); }, x));
  EXPECT_TRUE(test::gradcheck([](const Tensor& t) { return proj(nanmean(t, {1})); }, x));
}

TEST(ReduceFamily, FrobeniusOverTwoDimsIsSqrtOfSumOfSquares) {
  // torch 1.13: frobenius_norm over two dims is sqrt(sum(x * x)) (grad_fn
  // SqrtBackward0), so an all-zero slice has gradient NaN (0 * inf); over one
  // dim it is norm(2) (NormBackward1), whose gradient there is 0.
  Tensor x = test::vec({0.0, 0.0, 3.0, 4.0}, DType::Float64).reshape({2, 2, 1}).requires_grad_(true);
  Tensor two = frobenius_norm(x, {1, 2}, false);
  EXPECT_EQ(two.grad_fn()->name(), "SqrtBackward0");
  two.sum().backward();
  auto g = values(x.grad());
  EXPECT_TRUE(std::isnan(g[0]) && std::isnan(g[1]));
  EXPECT_EQ(g[2], 0.6000000000000001);  // 3 * (1 / 5) rounds up; torch 1.13 gives the same bits
  EXPECT_EQ(g[3], 0.8);
  Tensor y = x.detach().requires_grad_(true);
  Tensor one = frobenius_norm(y, {1}, false);
  EXPECT_EQ(one.grad_fn()->name(), "NormBackward1");
  one.sum().backward();
  EXPECT_EQ(values(y.grad()), (std::vector<double>{0.0, 0.0, 0.6, 0.8}));
}

TEST(ReduceFamily, FullMaxMinReturnTheZeroThatAtenLaneOrderReturns) {
  // Arrays of +0 / -0 ('+' / '-'): which zero max() and min() return follows
  // ATen's lane order (NOTE [ Full max and min ]). Expected signs from torch
  // 1.13 (python3); each case but the short ones differs from folding the
  // elements in order.
  struct Case { DType dt; const char* signs; int max_sign, min_sign; };
  const Case cases[] = {
      {DType::Float32, "+-+-++-+-+---+++-+--", 1, 1},
      {DType::BFloat16, "++-+++++-", 1, 1},
      {DType::Float16, "++-+-+-++++++-+-++-+", -1, -1},
      {DType::Float64, "-+--+--++-++--+-+", -1, -1},
      {DType::Float64, "---++-++++++++---++--++--+-+++++-", 1, 1},
      {DType::Float16, "-+", 1, 1},
  };
  for (const Case& c : cases) {
    std::vector<double> v;
    for (const char* p = c.signs; *p; ++p) v.push_back(*p == '-' ? -0.0 : 0.0);
    Tensor t = vec(v, c.dt);
    EXPECT_EQ(std::signbit(values(t.max())[0]) ? -1 : 1, c.max_sign) << c.signs;
    EXPECT_EQ(std::signbit(values(t.min())[0]) ? -1 : 1, c.min_sign) << c.signs;
  }
  // Two elements fold in order: the later zero wins a tie; aminmax's
  // all-reduce does the same (torch 1.13: aminmax of bf16 [0, -0] is (-0, -0)).
  EXPECT_TRUE(std::signbit(values(vec({0.0, -0.0}).max())[0]));
  EXPECT_FALSE(std::signbit(values(vec({-0.0, 0.0}).min())[0]));
  auto [mn, mx] = aminmax(vec({0.0, -0.0}, DType::BFloat16));
  EXPECT_TRUE(std::signbit(values(mn)[0]) && std::signbit(values(mx)[0]));
}

TEST(ReduceFamily, SixteenBitMaximumTiesFollowTheVectorSplit) {
  // maximum(-0, +0) in bfloat16: std::max (scalar path, under 32 elements)
  // keeps the first operand, the vector path the second (torch 1.13).
  for (int64_t n : {16, 32}) {
    Tensor x = full({n}, -0.0, TensorOptions(DType::BFloat16)), z = zeros({n}, TensorOptions(DType::BFloat16));
    EXPECT_EQ(std::signbit(values(maximum(x, z))[0]), n == 16) << n;
    EXPECT_EQ(std::signbit(values(minimum(z, x))[0]), n == 32) << n;
  }
}

}  // namespace ft::reduce_family_test
