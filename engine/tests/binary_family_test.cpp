// Engine-only tests of the binary op family: values against hand-computed
// references, dtype rules, error messages, finite-difference gradients (f64).
#include "test_util.h"

namespace ft::test {
namespace {

TEST(BinaryFamily, ComparisonsPromoteAndReturnBool) {
  Tensor i = vec({5, -7, 0}, DType::Int64);
  Tensor r = ft::eq(i, Scalar(2.5));
  EXPECT_EQ(r.dtype(), DType::Bool);
  EXPECT_EQ(values(r), (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(values(ft::lt(i, vec({6, -7, -1}))), (std::vector<double>{1, 0, 0}));
}

TEST(BinaryFamily, IntegerDivisionByZeroRaises) {
  Tensor a = vec({5, -7}, DType::Int64), z = vec({2, 0}, DType::Int64);
  FT_EXPECT_ERROR(ft::floor_divide(a, z), ErrorKind::Runtime, "ZeroDivisionError");
  FT_EXPECT_ERROR(ft::remainder(a, z), ErrorKind::Runtime, "ZeroDivisionError");
}

TEST(BinaryFamily, FloorTruncRemainderFmod) {
  Tensor a = vec({5, -7, 7, -1}, DType::Float64), b = vec({2, 2, -2, 3}, DType::Float64);
  EXPECT_EQ(values(ft::div(a, b, std::string_view("floor"))), (std::vector<double>{2, -4, -4, -1}));
  EXPECT_EQ(values(ft::div(a, b, std::string_view("trunc"))), (std::vector<double>{2, -3, -3, -0.0}));
  EXPECT_EQ(values(ft::remainder(a, b)), (std::vector<double>{1, 1, -1, 2}));
  EXPECT_EQ(values(ft::fmod(a, b)), (std::vector<double>{1, -1, 1, -1}));
}

// NOTE [ Sleef pow ]: in a contiguous row the first floor(n / 2V) * 2V
// elements take ATen's vector path (Sleef: +NaN for a negative base and a
// fractional exponent), the tail std::pow (-NaN). Measured on torch 1.13 for
// 17 elements: 16 positive NaNs, then a negative one (float32 and float64).
TEST(BinaryFamily, PowNanSignFollowsAtenVectorSplit) {
  for (DType dt : {DType::Float32, DType::Float64}) {
    Tensor x = ft::full({17}, Scalar(-2.0), dt);
    std::vector<double> want(17, 0.0);
    want[16] = 1;
    EXPECT_EQ(values(ft::signbit(ft::pow(x, Scalar(1.5)))), want);
    EXPECT_EQ(values(ft::signbit(ft::pow(x, ft::full({17}, Scalar(1.5), dt)))), want);
    // Three elements: all scalar path.
    EXPECT_EQ(values(ft::signbit(ft::pow(x.narrow(0, 0, 3), Scalar(1.5)))), (std::vector<double>{1, 1, 1}));
  }
}

TEST(BinaryFamily, PowDtypeRules) {
  Tensor i = vec({3, -2}, DType::Int64);
  EXPECT_EQ(values(ft::pow(i, Scalar(int64_t(3)))), (std::vector<double>{27, -8}));
  EXPECT_EQ(ft::pow(i, Scalar(2.5)).dtype(), DType::Float32);
  FT_EXPECT_ERROR(ft::pow(i, Scalar(int64_t(-1))), ErrorKind::Runtime, "negative integer powers");
  FT_EXPECT_ERROR(ft::pow(vec({1}, DType::Bool), Scalar(true)), ErrorKind::NotImplemented, "pow");
}

TEST(BinaryFamily, BitwiseRefusesFloats) {
  FT_EXPECT_ERROR(ft::bitwise_and(vec({1.0}), vec({1.0})), ErrorKind::NotImplemented, "bitwise_and_cpu");
  EXPECT_EQ(values(ft::bitwise_left_shift(vec({5}, DType::Int64), vec({2}, DType::Int64))), (std::vector<double>{20}));
}

TEST(BinaryFamily, MaximumTiesSplitGradient) {
  Tensor a = vec({1, 2, 3}, DType::Float64), b = vec({2, 2, 1}, DType::Float64);
  a.requires_grad_(true);
  b.requires_grad_(true);
  ft::maximum(a, b).backward(ones({3}, DType::Float64));
  EXPECT_EQ(values(a.grad()), (std::vector<double>{0, 0.5, 1}));
  EXPECT_EQ(values(b.grad()), (std::vector<double>{1, 0.5, 0}));
}

// Central differences of sum(f(a, b)) against autograd, float64.
void check_grad2(const std::function<Tensor(const Tensor&, const Tensor&)>& f, std::vector<double> av,
                 std::vector<double> bv) {
  Tensor a = vec(av, DType::Float64), b = vec(bv, DType::Float64);
  a.requires_grad_(true);
  b.requires_grad_(true);
  f(a, b).sum().backward();
  std::vector<double> ga = values(a.grad()), gb = values(b.grad());
  const double h = 1e-6;
  for (size_t k = 0; k < av.size(); ++k) {
    for (int which = 0; which < 2; ++which) {
      auto p = which == 0 ? av : bv, m = p;
      p[k] += h;
      m[k] -= h;
      autograd::NoGradGuard ng;
      double fp = which == 0 ? f(vec(p, DType::Float64), vec(bv, DType::Float64)).sum().item<double>()
                             : f(vec(av, DType::Float64), vec(p, DType::Float64)).sum().item<double>();
      double fm = which == 0 ? f(vec(m, DType::Float64), vec(bv, DType::Float64)).sum().item<double>()
                             : f(vec(av, DType::Float64), vec(m, DType::Float64)).sum().item<double>();
      double num = (fp - fm) / (2 * h), an = which == 0 ? ga[k] : gb[k];
      EXPECT_NEAR(an, num, 1e-5 * (1 + std::fabs(num))) << "input " << which << " element " << k;
    }
  }
}

TEST(BinaryFamily, FiniteDifferenceGradients) {
  std::vector<double> a = {0.7, 1.3, 2.1}, b = {1.1, 0.4, 2.5};
  check_grad2([](const Tensor& x, const Tensor& y) { return ft::pow(x, y); }, a, b);
  check_grad2([](const Tensor& x, const Tensor& y) { return ft::atan2(x, y); }, a, b);
  check_grad2([](const Tensor& x, const Tensor& y) { return ft::hypot(x, y); }, a, b);
  check_grad2([](const Tensor& x, const Tensor& y) { return ft::xlogy(x, y); }, a, b);
  check_grad2([](const Tensor& x, const Tensor& y) { return ft::remainder(x, y); }, a, b);
  check_grad2([](const Tensor& x, const Tensor& y) { return ft::lerp(x, y, Scalar(0.3)); }, a, b);
  check_grad2([](const Tensor& x, const Tensor& y) { return ft::addcdiv(x, x, y, Scalar(0.5)); }, a, b);
}

}  // namespace
}  // namespace ft::test
