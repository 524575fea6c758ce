// clone / to(dtype) / copy_: clone keeps the strides of dense non-contiguous
// (permuted) inputs, copy_ broadcasts and converts dtypes and bumps the
// version of the destination.
#include <gtest/gtest.h>

#include <cmath>

#include "test_util.h"

namespace ft {
namespace {

using test::iota;
using test::same_storage;
using test::shape;
using test::strides_of;
using test::values;
using V = std::vector<double>;
using S = std::vector<int64_t>;

TEST(Clone, PreservesStridesOfPermutedInput) {
  Tensor x = iota({2, 3, 4}).permute({2, 0, 1});
  Tensor c = x.clone();
  EXPECT_FALSE(same_storage(x, c));
  EXPECT_EQ(shape(c), (S{4, 2, 3}));
  EXPECT_EQ(strides_of(c), (S{1, 12, 4}));
  EXPECT_EQ(values(c), values(x));
  EXPECT_EQ(c.storage_offset(), 0);
}

TEST(Clone, NonDenseInputBecomesContiguous) {
  Tensor s = iota({3, 4}).slice(1, 0, std::nullopt, 2);  // strides (4, 2): has gaps
  Tensor c = s.clone();
  EXPECT_EQ(strides_of(c), (S{2, 1}));
  EXPECT_EQ(values(c), (V{0, 2, 4, 6, 8, 10}));
  Tensor e = test::vec({1, 2}).unsqueeze(1).expand({2, 3});  // stride 0
  Tensor ce = e.clone();
  EXPECT_EQ(strides_of(ce), (S{3, 1}));
  EXPECT_EQ(values(ce), (V{1, 1, 1, 2, 2, 2}));
}

TEST(Clone, IsIndependentOfSource) {
  Tensor x = iota({4});
  Tensor c = x.clone();
  c.fill_(5);
  EXPECT_EQ(values(x), (V{0, 1, 2, 3}));
  EXPECT_EQ(c._version(), 1u);
  EXPECT_EQ(x._version(), 0u);
}

TEST(ToDtype, ConvertsAndKeepsPermutedStrides) {
  Tensor x = test::make({2.7, -2.7, 0.5, 300.9, -0.2, 1e3}, {2, 3}, DType::Float64).t();
  Tensor i = x.to(DType::Int64);
  EXPECT_EQ(i.dtype(), DType::Int64);
  EXPECT_EQ(strides_of(i), strides_of(x));  // (1, 3)
  EXPECT_EQ(values(i), (V{2, 300, -2, 0, 0, 1000}));  // truncation toward zero
  Tensor b = x.to(DType::Bool);
  EXPECT_EQ(values(b), (V{1, 1, 1, 1, 1, 1}));
  Tensor u = test::vec({0, 1, 255}, DType::Int64).to(DType::Bool);
  EXPECT_EQ(values(u), (V{0, 1, 1}));
  EXPECT_TRUE(x.to(DType::Float64).is_same(x));  // same dtype: no copy
  // float16 / bfloat16 round to nearest even.
  Tensor h = test::vec({1.0 + 1.0 / 4096, 65504, 70000}).to(DType::Float16);
  EXPECT_EQ(values(h), (V{1.0, 65504, INFINITY}));
  Tensor bf = test::vec({1.0 + 1.0 / 256, 3.0}).to(DType::BFloat16);
  EXPECT_EQ(values(bf), (V{1.0, 3.0}));
}

TEST(CopyInto, BroadcastsConvertsAndBumpsVersion) {
  Tensor dst = zeros({2, 3});
  Tensor src = test::vec({1, 2, 3}, DType::Int32);
  uint32_t v = dst._version();
  dst.copy_(src);
  EXPECT_EQ(dst._version(), v + 1);
  EXPECT_EQ(dst.dtype(), DType::Float32);
  EXPECT_EQ(values(dst), (V{1, 2, 3, 1, 2, 3}));
  EXPECT_EQ(src._version(), 0u);  // the source is only read

  // Column broadcast into a transposed destination.
  Tensor base = zeros({3, 2}, DType::Float64);
  Tensor dt = base.t();  // (2, 3)
  dt.copy_(test::make({5, 6}, {2, 1}, DType::Int64));
  EXPECT_EQ(values(base), (V{5, 6, 5, 6, 5, 6}));
  EXPECT_EQ(base._version(), 1u);

  // Float -> int truncates, int -> bool is != 0.
  Tensor di = zeros({3}, DType::Int32);
  di.copy_(test::vec({1.9, -1.9, 7.0}));
  EXPECT_EQ(values(di), (V{1, -1, 7}));
  Tensor db = zeros({3}, DType::Bool);
  db.copy_(test::vec({0, -3, 2}, DType::Int8));
  EXPECT_EQ(values(db), (V{0, 1, 1}));
}

TEST(CopyInto, ZeroDimSourceFillsAll) {
  Tensor dst = zeros({2, 2}, DType::Int16);
  dst.copy_(test::make({9}, {}, DType::Float64));
  EXPECT_EQ(values(dst), (V{9, 9, 9, 9}));
}

TEST(CopyInto, IncompatibleShapeRaises) {
  Tensor dst = zeros({2, 3});
  FT_EXPECT_ERROR(dst.copy_(zeros({4})), ErrorKind::Runtime,
                  "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1");
  // Broadcastable, but to a shape larger than the destination.
  FT_EXPECT_ERROR(zeros({1, 3}).copy_(zeros({2, 3})), ErrorKind::Runtime,
                  "output with shape [1, 3] doesn't match the broadcast shape [2, 3]");
  EXPECT_EQ(dst._version(), 0u);  // a failed copy does not count as a write
}

TEST(CopyInto, OverlappingDestinationRaises) {
  Tensor e = zeros({3}).unsqueeze(1).expand({3, 2});
  FT_EXPECT_ERROR(e.copy_(ones({3, 2})), ErrorKind::Runtime,
                  "more than one element of the written-to tensor refers to a single memory location");
}

TEST(Fill, FillAndZeroConvertScalar) {
  Tensor x = empty({2, 2}, DType::Int32);
  x.fill_(3.9);
  EXPECT_EQ(values(x), (V{3, 3, 3, 3}));
  x.zero_();
  EXPECT_EQ(values(x), (V{0, 0, 0, 0}));
  Tensor s = iota({2, 4}).slice(1, 0, std::nullopt, 2);
  s.fill_(-1);
  EXPECT_EQ(values(s.clone()), (V{-1, -1, -1, -1}));
  EXPECT_EQ(values(full({2}, true, DType::Float64)), (V{1, 1}));
}

}  // namespace
}  // namespace ft
