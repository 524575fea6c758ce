// Pointwise ops: add/sub (alpha, integer wrap-around, bool add = logical or),
// mul, div (true division, division by zero), neg, exp, log, tanh, relu
// (NaN and -0.0), in-place forms, and output strides following the inputs.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "test_util.h"

namespace ft {
namespace {

using test::iota;
using test::strides_of;
using test::values;
using test::vec;
using V = std::vector<double>;
using S = std::vector<int64_t>;
constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(Pointwise, AddSubWithAlpha) {
  Tensor a = vec({1, 2, 3}), b = vec({10, 20, 30});
  EXPECT_EQ(values(a + b), (V{11, 22, 33}));
  EXPECT_EQ(values(a.add(b, 2)), (V{21, 42, 63}));
  EXPECT_EQ(values(a.add(b, 0.5)), (V{6, 12, 18}));
  EXPECT_EQ(values(b - a), (V{9, 18, 27}));
  EXPECT_EQ(values(b.sub(a, 3)), (V{7, 14, 21}));
  EXPECT_EQ(values(a.add(Scalar(1.5))), (V{2.5, 3.5, 4.5}));
  EXPECT_EQ(values(a.add(Scalar(1), 4)), (V{5, 6, 7}));
  Tensor i = vec({5, 7}, DType::Int64);
  EXPECT_EQ(values(i.sub(vec({1, 1}, DType::Int64), 3)), (V{2, 4}));
  EXPECT_EQ((i + i).dtype(), DType::Int64);
}

TEST(Pointwise, IntegerWrapAround) {
  Tensor a = vec({127, -128, 100}, DType::Int8);
  Tensor r = a + vec({1, -1, 100}, DType::Int8);
  EXPECT_EQ(r.dtype(), DType::Int8);
  EXPECT_EQ(values(r), (V{-128, 127, -56}));
  EXPECT_EQ(values(vec({200}, DType::UInt8) + vec({100}, DType::UInt8)), (V{44}));
  EXPECT_EQ(values(vec({0}, DType::UInt8).sub(vec({1}, DType::UInt8))), (V{255}));
  // int64 multiplication wraps modulo 2^64: 2^62 * 4 = 0.
  Tensor big = from_vector({0, 2}, {2}, DType::Int64);
  big.select(0, 0).fill_(int64_t(1) << 62);
  EXPECT_EQ(values(big * Scalar(4)), (V{0, 8}));
  EXPECT_EQ(values(vec({-128}, DType::Int8).neg()), (V{-128}));
  EXPECT_EQ(values(vec({100}, DType::Int8).neg()), (V{-100}));
  EXPECT_EQ(values(vec({100, 2}, DType::Int8) * vec({3, 2}, DType::Int8)), (V{44, 4}));
}

TEST(Pointwise, BoolAddIsLogicalOr) {
  Tensor a = vec({1, 0, 1, 0}, DType::Bool), b = vec({1, 1, 0, 0}, DType::Bool);
  Tensor s = a + b;
  EXPECT_EQ(s.dtype(), DType::Bool);
  EXPECT_EQ(values(s), (V{1, 1, 1, 0}));
  Tensor m = a * b;
  EXPECT_EQ(m.dtype(), DType::Bool);
  EXPECT_EQ(values(m), (V{1, 0, 0, 0}));
  EXPECT_EQ(values(a.add(b, true)), (V{1, 1, 1, 0}));
  EXPECT_EQ(values(a.add(b, false)), (V{1, 0, 1, 0}));
  // bool + int promotes to the int type.
  Tensor c = a + vec({2, 2, 2, 2}, DType::Int32);
  EXPECT_EQ(c.dtype(), DType::Int32);
  EXPECT_EQ(values(c), (V{3, 2, 3, 2}));
}

TEST(Pointwise, Mul) {
  EXPECT_EQ(values(vec({1, -2, 3}) * vec({4, 5, -6})), (V{4, -10, -18}));
  EXPECT_EQ(values(vec({1, 2}, DType::Int32) * Scalar(3)), (V{3, 6}));
  Tensor r = vec({1, 2}, DType::Int32) * Scalar(2.5);
  EXPECT_EQ(r.dtype(), DType::Float32);
  EXPECT_EQ(values(r), (V{2.5, 5}));
  EXPECT_TRUE(std::isnan(values(vec({kInf}) * vec({0}))[0]));
}

TEST(Pointwise, DivIsTrueDivision) {
  Tensor q = vec({1, 2, 3}, DType::Int64).div(vec({2, 4, 2}, DType::Int64));
  EXPECT_EQ(q.dtype(), DType::Float32);
  EXPECT_EQ(values(q), (V{0.5, 0.5, 1.5}));
  EXPECT_EQ(values(vec({-7}, DType::Int32) / vec({2}, DType::Int32)), (V{-3.5}));
  EXPECT_EQ(div(vec({1}, DType::Bool), vec({1}, DType::Bool)).dtype(), DType::Float32);
  EXPECT_EQ(div(vec({1}, DType::Float64), Scalar(4)).dtype(), DType::Float64);
  EXPECT_EQ(values(div(vec({1}, DType::Float64), Scalar(4))), (V{0.25}));
}

TEST(Pointwise, DivByZero) {
  EXPECT_TRUE(test::all_close(values(vec({1, -1, 0}) / vec({0, 0, 0})), V{kInf, -kInf, NAN}));
  EXPECT_TRUE(test::all_close(values(vec({1, 2}) / vec({0.0, -0.0})), V{kInf, -kInf}));
  // Integers are divided as floats: no exception.
  EXPECT_TRUE(test::all_close(values(vec({1, 0, -1}, DType::Int64) / vec({0, 0, 0}, DType::Int64)),
                              V{kInf, NAN, -kInf}));
}

TEST(Pointwise, Neg) {
  Tensor r = -vec({1, -2, 0});
  EXPECT_EQ(values(r), (V{-1, 2, 0}));
  EXPECT_TRUE(std::signbit(values(r)[2]));  // -(+0.0) is -0.0
  EXPECT_EQ(values(vec({3, -4}, DType::Int16).neg()), (V{-3, 4}));
  EXPECT_EQ(vec({3}, DType::Int16).neg().dtype(), DType::Int16);
}

TEST(Pointwise, ExpLogTanh) {
  V xs = {-2, -0.5, 0, 0.5, 1, 3};
  auto ex = values(vec(xs, DType::Float64).exp());
  auto th = values(vec(xs, DType::Float64).tanh());
  for (size_t i = 0; i < xs.size(); ++i) {
    EXPECT_DOUBLE_EQ(ex[i], std::exp(xs[i]));
    EXPECT_DOUBLE_EQ(th[i], std::tanh(xs[i]));
  }
  auto lg = values(vec({0.5, 1, 2, 10}, DType::Float64).log());
  EXPECT_DOUBLE_EQ(lg[0], std::log(0.5));
  EXPECT_EQ(lg[1], 0);
  EXPECT_DOUBLE_EQ(lg[3], std::log(10.0));
  // float32 results agree with float math to float precision.
  auto ef = values(vec({1, 2}).exp());
  EXPECT_FLOAT_EQ(float(ef[0]), std::exp(1.0f));
  // Special values.
  EXPECT_TRUE(test::all_close(values(vec({-1, 0, -0.0, kInf}).log()), V{NAN, -kInf, -kInf, kInf}));
  EXPECT_TRUE(test::all_close(values(vec({kInf, -kInf, NAN}).tanh()), V{1, -1, NAN}));
  EXPECT_TRUE(test::all_close(values(vec({kInf, -kInf, NAN}).exp()), V{kInf, 0, NAN}));
  // Integer and bool inputs compute in float32.
  Tensor ei = vec({0, 1}, DType::Int64).exp();
  EXPECT_EQ(ei.dtype(), DType::Float32);
  EXPECT_FLOAT_EQ(float(values(ei)[1]), std::exp(1.0f));
  Tensor eb = vec({1, 0}, DType::Bool).exp();
  EXPECT_EQ(eb.dtype(), DType::Float32);
  EXPECT_EQ(values(eb)[1], 1.0);
  EXPECT_EQ(vec({1}, DType::UInt8).tanh().dtype(), DType::Float32);
  EXPECT_EQ(vec({1}, DType::Int32).log().dtype(), DType::Float32);
}

TEST(Pointwise, Relu) {
  Tensor r = vec({NAN, -0.0, -1.0, 2.0, 0.0}).relu();
  auto v = values(r);
  EXPECT_TRUE(std::isnan(v[0]));  // NaN stays NaN
  EXPECT_EQ(v[1], 0.0);
  EXPECT_TRUE(std::signbit(v[1]));  // -0.0 stays -0.0
  EXPECT_EQ(v[2], 0.0);
  EXPECT_FALSE(std::signbit(v[2]));
  EXPECT_EQ(v[3], 2.0);
  Tensor ri = vec({-3, 0, 3}, DType::Int32).relu();
  EXPECT_EQ(ri.dtype(), DType::Int32);
  EXPECT_EQ(values(ri), (V{0, 0, 3}));
}

TEST(Pointwise, InPlaceForms) {
  Tensor x = vec({1, 2, 3});
  x.add_(vec({1, 1, 1}), 2);
  EXPECT_EQ(values(x), (V{3, 4, 5}));
  x.sub_(vec({1, 1, 1}));
  EXPECT_EQ(values(x), (V{2, 3, 4}));
  x.mul_(vec({2, 2, 2}));
  EXPECT_EQ(values(x), (V{4, 6, 8}));
  x.div_(vec({4, 4, 4}));
  EXPECT_EQ(values(x), (V{1, 1.5, 2}));
  x.neg_();
  EXPECT_EQ(values(x), (V{-1, -1.5, -2}));
  x.relu_();
  EXPECT_EQ(values(x), (V{0, 0, 0}));
  x.exp_();
  EXPECT_EQ(values(x), (V{1, 1, 1}));
  x.log_();
  EXPECT_EQ(values(x), (V{0, 0, 0}));
  x.tanh_();
  EXPECT_EQ(values(x), (V{0, 0, 0}));
  // In-place with a broadcast operand and into a non-contiguous view.
  Tensor m = iota({2, 3});
  Tensor mt = m.t();  // (3, 2)
  mt.add_(vec({100, 200}));
  EXPECT_EQ(values(m), (V{100, 101, 102, 203, 204, 205}));
  // Int in-place with a float wrapped scalar is not allowed, but int with int is.
  Tensor i = vec({1, 2}, DType::Int64);
  i.mul_(vec({3, 3}, DType::Int32));
  EXPECT_EQ(i.dtype(), DType::Int64);
  EXPECT_EQ(values(i), (V{3, 6}));
  // The result is computed in the promoted type, then cast to self's dtype.
  Tensor f = vec({1, 2});
  f.add_(vec({0.5, 0.5}, DType::Float64));
  EXPECT_EQ(f.dtype(), DType::Float32);
  EXPECT_EQ(values(f), (V{1.5, 2.5}));
}

TEST(Pointwise, InPlaceWithSelfAsOperand) {
  Tensor x = vec({1, 2, 3});
  x.mul_(x);
  EXPECT_EQ(values(x), (V{1, 4, 9}));
  Tensor y = vec({1, 2, 3});
  y.add_(y.view({3}));
  EXPECT_EQ(values(y), (V{2, 4, 6}));
}

TEST(Pointwise, OutputStridesFollowPermutedInput) {
  Tensor x = iota({3, 4}).t();  // (4, 3), strides (1, 4)
  Tensor y = x + x;
  EXPECT_EQ(strides_of(y), strides_of(x));
  EXPECT_EQ(values(y), values(x * Scalar(2)));
  EXPECT_EQ(strides_of(x.exp()), strides_of(x));
  EXPECT_EQ(strides_of(-x), strides_of(x));
  EXPECT_EQ(strides_of(x.relu()), strides_of(x));

  Tensor a = iota({2, 3, 4}).permute({2, 0, 1});  // (4, 2, 3), strides (1, 12, 4)
  EXPECT_EQ(strides_of(a + a), (S{1, 12, 4}));
  // The first operand decides the layout; a contiguous first operand wins.
  Tensor c = iota({4, 2, 3});
  EXPECT_EQ(strides_of(a + c), (S{1, 12, 4}));
  EXPECT_EQ(strides_of(c + a), (S{6, 3, 1}));
  // Broadcast operands do not vote.
  EXPECT_EQ(strides_of(x + vec({1, 2, 3})), strides_of(x));
  // Contiguous inputs give a contiguous output.
  EXPECT_TRUE((c * c).is_contiguous());
  EXPECT_EQ(values(a + c), values(a.contiguous() + c));
}

TEST(Pointwise, NonContiguousOperandsComputeCorrectly) {
  Tensor base = iota({4, 6}, DType::Float64);
  Tensor s = base.slice(1, 1, std::nullopt, 2);  // (4, 3) strided
  Tensor t = iota({3, 4}, DType::Float64).t();   // (4, 3) transposed
  Tensor r = s * t + s;
  auto sv = values(s), tv = values(t), rv = values(r);
  for (size_t i = 0; i < rv.size(); ++i) EXPECT_EQ(rv[i], sv[i] * tv[i] + sv[i]);
}

}  // namespace
}  // namespace ft
