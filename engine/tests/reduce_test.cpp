// Reductions: sum and mean over dim lists (negative dims, keepdim, empty list
// = all dims), result dtypes (integers and bool sum to int64), empty inputs,
// dtype=, and strided inputs. Expected values come from naive loops.
#include <gtest/gtest.h>

#include <cmath>

#include "test_util.h"

namespace ft {
namespace {

using test::iota;
using test::shape;
using test::values;
using V = std::vector<double>;
using S = std::vector<int64_t>;

// Naive sum of a (2, 3, 4) row-major tensor over the dims set in `mask`, keepdim form.
V naive_sum_234(const V& x, unsigned mask) {
  const int n[3] = {2, 3, 4};
  int on[3];
  for (int d = 0; d < 3; ++d) on[d] = (mask >> d) & 1 ? 1 : n[d];
  V out(size_t(on[0] * on[1] * on[2]), 0.0);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k) {
        int oi = (mask & 1) ? 0 : i, oj = (mask & 2) ? 0 : j, ok = (mask & 4) ? 0 : k;
        out[size_t((oi * on[1] + oj) * on[2] + ok)] += x[size_t((i * 3 + j) * 4 + k)];
      }
  return out;
}

TEST(Reduce, SumEveryDimSubset) {
  Tensor x = test::rand_tensor({2, 3, 4}, DType::Float64, 11);
  V xv = values(x);
  for (unsigned mask = 1; mask < 8; ++mask) {
    std::vector<int64_t> dims, neg_dims;
    S keep_shape, drop_shape;
    for (int d = 0; d < 3; ++d) {
      int64_t sz = x.size(d);
      if ((mask >> d) & 1) {
        dims.push_back(d);
        neg_dims.push_back(d - 3);
        keep_shape.push_back(1);
      } else {
        keep_shape.push_back(sz);
        drop_shape.push_back(sz);
      }
    }
    V want = naive_sum_234(xv, mask);
    Tensor k = x.sum(dims, /*keepdim=*/true);
    EXPECT_EQ(shape(k), keep_shape) << mask;
    EXPECT_TRUE(test::all_close(values(k), want, 1e-12, 1e-12)) << mask;
    Tensor d = x.sum(neg_dims, /*keepdim=*/false);
    EXPECT_EQ(shape(d), drop_shape) << mask;
    EXPECT_TRUE(test::all_close(values(d), want, 1e-12, 1e-12)) << mask;
  }
}

TEST(Reduce, SumDimOrderDoesNotMatter) {
  Tensor x = iota({2, 3, 4});
  EXPECT_EQ(values(x.sum({0, 2})), (V{60, 92, 124}));
  EXPECT_EQ(values(x.sum({2, 0})), (V{60, 92, 124}));
  EXPECT_EQ(values(x.sum({-1, 0})), (V{60, 92, 124}));
}

TEST(Reduce, EmptyDimListReducesAll) {
  Tensor x = iota({2, 3, 4});
  Tensor s = x.sum(std::vector<int64_t>{});
  EXPECT_EQ(s.dim(), 0);
  EXPECT_EQ(s.item<double>(), 276.0);  // 0 + 1 + ... + 23
  EXPECT_EQ(x.sum().item<double>(), 276.0);
  Tensor k = x.sum(std::vector<int64_t>{}, /*keepdim=*/true);
  EXPECT_EQ(shape(k), (S{1, 1, 1}));
  EXPECT_EQ(x.mean(std::vector<int64_t>{}).item<double>(), 11.5);
}

TEST(Reduce, ZeroDimInput) {
  Tensor s = test::make({5}, {});
  EXPECT_EQ(s.sum().item<double>(), 5);
  EXPECT_EQ(s.sum({0}).dim(), 0);
  EXPECT_EQ(s.sum({-1}, true).dim(), 0);
  EXPECT_EQ(s.mean({0}).item<double>(), 5);
}

TEST(Reduce, IntegerAndBoolSumToInt64) {
  Tensor i8 = test::vec({100, 100, 100}, DType::Int8);
  Tensor s = i8.sum();
  EXPECT_EQ(s.dtype(), DType::Int64);
  EXPECT_EQ(s.item<int64_t>(), 300);  // accumulates in int64: no int8 overflow
  Tensor b = test::vec({1, 1, 0, 1}, DType::Bool);
  EXPECT_EQ(b.sum().dtype(), DType::Int64);
  EXPECT_EQ(b.sum().item<int64_t>(), 3);
  Tensor u = ones({2, 3}, DType::UInt8);
  EXPECT_EQ(u.sum({1}).dtype(), DType::Int64);
  EXPECT_EQ(values(u.sum({1})), (V{3, 3}));
  EXPECT_EQ(ones({3}, DType::Int32).sum().dtype(), DType::Int64);
  // dtype= overrides.
  Tensor f = ones({3}, DType::Int32).sum(DType::Float64);
  EXPECT_EQ(f.dtype(), DType::Float64);
  EXPECT_EQ(f.item<double>(), 3);
  EXPECT_EQ(test::vec({1.5, 2.5}).sum(DType::Float64).dtype(), DType::Float64);
  EXPECT_EQ(test::vec({1.5, 2.5}).sum().dtype(), DType::Float32);
}

TEST(Reduce, EmptyTensor) {
  Tensor e = empty({0});
  EXPECT_EQ(e.sum().item<double>(), 0.0);
  EXPECT_TRUE(std::isnan(e.mean().item<double>()));
  Tensor e2 = empty({0, 3});
  Tensor s0 = e2.sum({0});
  EXPECT_EQ(shape(s0), (S{3}));
  EXPECT_EQ(values(s0), (V{0, 0, 0}));
  Tensor m0 = e2.mean({0});
  EXPECT_TRUE(std::isnan(values(m0)[0]));
  EXPECT_EQ(shape(e2.sum({1})), (S{0}));
  EXPECT_EQ(empty({0}, DType::Int64).sum().item<int64_t>(), 0);
}

TEST(Reduce, Mean) {
  Tensor x = test::make({1, 2, 3, 4}, {2, 2});
  EXPECT_EQ(values(x.mean({0})), (V{2, 3}));
  Tensor k = x.mean({1}, true);
  EXPECT_EQ(shape(k), (S{2, 1}));
  EXPECT_EQ(values(k), (V{1.5, 3.5}));
  EXPECT_EQ(x.mean().item<double>(), 2.5);
  EXPECT_EQ(x.mean().dtype(), DType::Float32);
  Tensor d = test::rand_tensor({3, 5}, DType::Float64, 5);
  V dv = values(d);
  auto m = values(d.mean({-1}));
  for (int i = 0; i < 3; ++i) {
    double acc = 0;
    for (int j = 0; j < 5; ++j) acc += dv[size_t(i * 5 + j)];
    EXPECT_NEAR(m[size_t(i)], acc / 5, 1e-15);
  }
  // Integers need an explicit floating dtype.
  Tensor mi = ones({4}, DType::Int32).mean(DType::Float32);
  EXPECT_EQ(mi.dtype(), DType::Float32);
  EXPECT_EQ(mi.item<double>(), 1.0);
}

TEST(Reduce, NanAndInfPropagate) {
  EXPECT_TRUE(std::isnan(test::vec({1, NAN}).sum().item<double>()));
  EXPECT_TRUE(std::isnan(test::vec({INFINITY, -INFINITY}).sum().item<double>()));
  EXPECT_EQ(test::vec({INFINITY, 1}).sum().item<double>(), INFINITY);
}

TEST(Reduce, StridedInputs) {
  Tensor t = iota({3, 4}).t();  // (4, 3)
  EXPECT_EQ(values(t.sum({0})), (V{6, 22, 38}));
  EXPECT_EQ(values(t.sum({1})), (V{12, 15, 18, 21}));
  Tensor e = test::vec({1, 2, 3}).unsqueeze(0).expand({5, 3});
  EXPECT_EQ(values(e.sum({0})), (V{5, 10, 15}));
  Tensor s = iota({10}).slice(0, 1, std::nullopt, 3);  // 1, 4, 7
  EXPECT_EQ(s.sum().item<double>(), 12);
}

TEST(Reduce, LargeSumIsAccurate) {
  // 100000 copies of 0.1f: a naive float32 loop drifts far from 10000.
  Tensor x = full({100000}, 0.1);
  double want = 100000.0 * double(0.1f);
  EXPECT_NEAR(x.sum().item<double>(), want, want * 2e-7);
  EXPECT_NEAR(x.mean().item<double>(), double(0.1f), 1e-7);
}

}  // namespace
}  // namespace ft
