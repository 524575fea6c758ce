// Views inside the autograd graph: view, reshape, permute, transpose, expand,
// slice, select, narrow, as_strided (overlapping too), squeeze/unsqueeze;
// each followed by sum().backward() or a weighted sum, expected gradients
// written out by hand.
#include <gtest/gtest.h>

#include "test_util.h"

namespace ft {
namespace {

using test::values;
using V = std::vector<double>;

Tensor grad_leaf(IntArrayRef sizes) {
  Tensor t = test::iota(sizes, DType::Float64);
  t.requires_grad_(true);
  return t;
}

TEST(AutogradViews, ViewAndReshape) {
  Tensor x = grad_leaf({2, 3});
  (x.view({6}) * test::vec({1, 2, 3, 4, 5, 6}, DType::Float64)).sum().backward();
  EXPECT_EQ(values(x.grad()), (V{1, 2, 3, 4, 5, 6}));
  Tensor y = grad_leaf({2, 3});
  // Non-viewable reshape (a copy) still routes gradients to the right places.
  (y.t().reshape({6}) * test::vec({1, 2, 3, 4, 5, 6}, DType::Float64)).sum().backward();
  // y.t() flattened is y[0][0], y[1][0], y[0][1], y[1][1], y[0][2], y[1][2].
  EXPECT_EQ(values(y.grad()), (V{1, 3, 5, 2, 4, 6}));
}

TEST(AutogradViews, PermuteAndTranspose) {
  Tensor x = grad_leaf({2, 3});
  Tensor w = test::make({10, 20, 30, 40, 50, 60}, {3, 2}, DType::Float64);
  (x.t() * w).sum().backward();  // x.grad[i][j] = w[j][i]
  EXPECT_EQ(values(x.grad()), (V{10, 30, 50, 20, 40, 60}));
  Tensor y = grad_leaf({2, 1, 3});
  (y.permute({2, 0, 1}) * w.view({3, 2, 1})).sum().backward();  // y.grad[i][0][k] = w[k][i]
  EXPECT_EQ(values(y.grad()), (V{10, 30, 50, 20, 40, 60}));
  Tensor z = grad_leaf({2, 3});
  (z.transpose(-1, -2) * w).sum().backward();
  EXPECT_EQ(values(z.grad()), (V{10, 30, 50, 20, 40, 60}));
}

TEST(AutogradViews, ExpandSumsOverBroadcastDims) {
  Tensor x = grad_leaf({3, 1});
  x.expand({2, 3, 4}).sum().backward();
  EXPECT_EQ(test::shape(x.grad()), (std::vector<int64_t>{3, 1}));
  EXPECT_EQ(values(x.grad()), (V{8, 8, 8}));
  Tensor y = grad_leaf({3});
  (y.unsqueeze(0).expand({2, 3}) * test::make({1, 2, 3, 4, 5, 6}, {2, 3}, DType::Float64)).sum().backward();
  EXPECT_EQ(values(y.grad()), (V{5, 7, 9}));
}

TEST(AutogradViews, SliceSelectNarrow) {
  Tensor x = grad_leaf({2, 3});
  x.slice(1, 0, std::nullopt, 2).sum().backward();
  EXPECT_EQ(values(x.grad()), (V{1, 0, 1, 1, 0, 1}));
  Tensor y = grad_leaf({2, 3});
  y.select(0, 1).sum().backward();
  EXPECT_EQ(values(y.grad()), (V{0, 0, 0, 1, 1, 1}));
  Tensor z = grad_leaf({2, 3});
  (z.narrow(-1, 1, 2) * test::make({1, 2, 3, 4}, {2, 2}, DType::Float64)).sum().backward();
  EXPECT_EQ(values(z.grad()), (V{0, 1, 2, 0, 3, 4}));
  // Two views of the same leaf: contributions add up.
  Tensor u = grad_leaf({4});
  (u.slice(0, 0, 3) + u.slice(0, 1, 4)).sum().backward();
  EXPECT_EQ(values(u.grad()), (V{1, 2, 2, 1}));
  // Select of a select.
  Tensor v = grad_leaf({2, 3});
  (v.select(1, 2).select(0, 0) * Scalar(7)).backward();
  EXPECT_EQ(values(v.grad()), (V{0, 0, 7, 0, 0, 0}));
}

TEST(AutogradViews, SqueezeUnsqueezeFlatten) {
  Tensor x = grad_leaf({2, 1, 3});
  (x.squeeze() * test::make({1, 2, 3, 4, 5, 6}, {2, 3}, DType::Float64)).sum().backward();
  EXPECT_EQ(values(x.grad()), (V{1, 2, 3, 4, 5, 6}));
  Tensor y = grad_leaf({3});
  (y.unsqueeze(1) * test::make({1, 2}, {1, 2}, DType::Float64)).sum().backward();  // (3, 2)
  EXPECT_EQ(values(y.grad()), (V{3, 3, 3}));
  Tensor z = grad_leaf({2, 2});
  (z.flatten() * test::vec({4, 3, 2, 1}, DType::Float64)).sum().backward();
  EXPECT_EQ(values(z.grad()), (V{4, 3, 2, 1}));
}

TEST(AutogradViews, AsStrided) {
  Tensor x = grad_leaf({6});
  (x.as_strided({2, 2}, {1, 3}, 1) * test::make({1, 2, 3, 4}, {2, 2}, DType::Float64)).sum().backward();
  // Elements touched: [0][0]=x1, [0][1]=x4, [1][0]=x2, [1][1]=x5.
  EXPECT_EQ(values(x.grad()), (V{0, 1, 3, 0, 2, 4}));
}

TEST(AutogradViews, AsStridedOfNonContiguousInputAddressesMemory) {
  // as_strided indexes storage, not the input's logical order: on x = base.t()
  // storage offsets 0 and 3 are base[0][0] and base[1][0].
  Tensor base = grad_leaf({2, 3});
  Tensor y = base.t().as_strided({2}, {3}, 0);
  EXPECT_EQ(values(y), (V{0, 3}));
  (y * test::vec({1, 10}, DType::Float64)).sum().backward();
  EXPECT_EQ(values(base.grad()), (V{1, 0, 0, 10, 0, 0}));
}

TEST(AutogradViews, OverlappingAsStridedAccumulates) {
  Tensor x = grad_leaf({4});
  x.as_strided({3, 2}, {1, 1}).sum().backward();  // windows [0,1], [1,2], [2,3]
  EXPECT_EQ(values(x.grad()), (V{1, 2, 2, 1}));
}

TEST(AutogradViews, ViewOfNonLeafInGraph) {
  Tensor x = grad_leaf({2, 3});
  Tensor y = x * x;  // dy/dx = 2x
  y.t().select(0, 1).sum().backward();  // column 1 of y
  EXPECT_EQ(values(x.grad()), (V{0, 2, 0, 0, 8, 0}));
}

TEST(AutogradViews, InPlaceOnViewOfLeafRaises) {
  Tensor x = grad_leaf({2, 3});
  const char* msg = "a view of a leaf Variable that requires grad is being used in an in-place operation.";
  FT_EXPECT_ERROR(x.slice(1, 0, 2).mul_(test::make({2}, {}, DType::Float64)), ErrorKind::Runtime, msg);
  FT_EXPECT_ERROR(x.view({6}).add_(ones({6}, DType::Float64)), ErrorKind::Runtime, msg);
  FT_EXPECT_ERROR(x.t().select(0, 1).fill_(0), ErrorKind::Runtime, msg);  // a view of a view
  FT_EXPECT_ERROR(x.select(0, 0).copy_(zeros({3}, DType::Float64)), ErrorKind::Runtime, msg);
  EXPECT_EQ(x._version(), 0u);
  // Allowed under no_grad, and on views of non-leaves or of detached tensors.
  {
    autograd::NoGradGuard ng;
    x.select(0, 0).fill_(7);
  }
  EXPECT_EQ(values(x), (V{7, 7, 7, 3, 4, 5}));
  x.detach().select(0, 1).fill_(1);
  EXPECT_EQ(values(x), (V{7, 7, 7, 1, 1, 1}));
  Tensor y = x * Scalar(2);
  y.select(0, 0).zero_();
  EXPECT_EQ(values(y), (V{0, 0, 0, 2, 2, 2}));
}

// d2/dx2 of sum(view(x)^3) through slice, select and as_strided backward.
TEST(AutogradViews, DoubleBackwardThroughStridedViews) {
  std::vector<std::pair<std::function<Tensor(const Tensor&)>, V>> cases = {
      {[](const Tensor& t) { return t.narrow(0, 1, 2); }, V{0, 12, 18}},
      {[](const Tensor& t) { return t.slice(0, 0, std::nullopt, 2); }, V{6, 0, 18}},
      {[](const Tensor& t) { return t.select(0, 2); }, V{0, 0, 18}},
      {[](const Tensor& t) { return t.as_strided({2}, {1}, 1); }, V{0, 12, 18}},
      {[](const Tensor& t) { return t.as_strided({2, 2}, {1, 1}); }, V{6, 24, 18}},  // overlapping windows
  };
  for (auto& [view, want] : cases) {
    Tensor x = test::vec({1, 2, 3}, DType::Float64);
    x.requires_grad_(true);
    Tensor v = view(x);
    (v * v * v).sum().backward(Tensor(), /*retain_graph=*/true, /*create_graph=*/true);
    Tensor g = x.grad();
    ASSERT_TRUE(g.requires_grad());
    x.mutable_grad() = Tensor();
    g.sum().backward();
    EXPECT_EQ(values(x.grad()), want);
  }
}

}  // namespace
}  // namespace ft
