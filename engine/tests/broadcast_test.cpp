// Broadcasting: broadcast_shapes, values of broadcast binary ops, zero-size
// dims, and PyTorch's error message (innermost mismatch reported).
#include <gtest/gtest.h>

#include "test_util.h"

namespace ft {
namespace {

using test::iota;
using test::shape;
using test::values;
using V = std::vector<double>;
using S = std::vector<int64_t>;

S bshape(IntArrayRef a, IntArrayRef b) { return broadcast_shapes(a, b).vec(); }

TEST(Broadcast, Shapes) {
  EXPECT_EQ(bshape({3, 1}, {1, 4}), (S{3, 4}));
  EXPECT_EQ(bshape({2, 3, 4}, {4}), (S{2, 3, 4}));
  EXPECT_EQ(bshape({4}, {2, 3, 4}), (S{2, 3, 4}));
  EXPECT_EQ(bshape({}, {2, 3}), (S{2, 3}));
  EXPECT_EQ(bshape({}, {}), (S{}));
  EXPECT_EQ(bshape({5, 1, 3}, {4, 1}), (S{5, 4, 3}));
  EXPECT_EQ(bshape({0}, {1}), (S{0}));
  EXPECT_EQ(bshape({2, 0, 3}, {1, 3}), (S{2, 0, 3}));
}

TEST(Broadcast, ErrorMessage) {
  FT_EXPECT_ERROR(broadcast_shapes({3}, {2}), ErrorKind::Runtime,
                  "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0");
  // The innermost mismatching dim is reported.
  FT_EXPECT_ERROR(broadcast_shapes({2, 3}, {3, 2}), ErrorKind::Runtime,
                  "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1");
  FT_EXPECT_ERROR(broadcast_shapes({0}, {2}), ErrorKind::Runtime,
                  "The size of tensor a (0) must match the size of tensor b (2) at non-singleton dimension 0");
  FT_EXPECT_ERROR(ones({3}) + ones({2}), ErrorKind::Runtime,
                  "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0");
  FT_EXPECT_ERROR(ones({4, 1, 3}) * ones({2, 4, 3}), ErrorKind::Runtime,
                  "The size of tensor a (4) must match the size of tensor b (2) at non-singleton dimension 0");
}

TEST(Broadcast, OuterSumValues) {
  Tensor a = test::make({0, 10, 20}, {3, 1});
  Tensor b = test::make({1, 2, 3, 4}, {1, 4});
  Tensor c = a + b;
  EXPECT_EQ(shape(c), (S{3, 4}));
  V want;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j) want.push_back(10.0 * i + (j + 1));
  EXPECT_EQ(values(c), want);
  EXPECT_EQ(values(b + a), want);
}

TEST(Broadcast, LowerRankAndScalarOperands) {
  Tensor x = iota({2, 3, 4});
  Tensor row = test::vec({100, 200, 300, 400});
  Tensor y = x * row;
  auto xv = values(x), yv = values(y);
  for (size_t i = 0; i < xv.size(); ++i) EXPECT_EQ(yv[i], xv[i] * 100.0 * double(i % 4 + 1));
  Tensor s = x - test::make({1}, {});
  EXPECT_EQ(shape(s), (S{2, 3, 4}));
  EXPECT_EQ(values(s)[0], -1);
  // Broadcasting a non-contiguous operand.
  Tensor col = iota({3, 2}).select(1, 1).unsqueeze(1);  // (3, 1) values 1, 3, 5, stride (2, 2)
  EXPECT_EQ(values(col + test::vec({0, 100})), (V{1, 101, 3, 103, 5, 105}));
}

TEST(Broadcast, ZeroSizeDims) {
  Tensor z = zeros({2, 0, 3}) + ones({1, 3});
  EXPECT_EQ(shape(z), (S{2, 0, 3}));
  EXPECT_EQ(z.numel(), 0);
  EXPECT_EQ(shape(zeros({0}) * ones({1})), (S{0}));
}

}  // namespace
}  // namespace ft
