// Engine-only tests of the shape family's views and lists: split/chunk/unbind
// pieces, diagonal, unfold, movedim/swapaxes and unflatten share storage and
// version counter with their input (a write through the view is seen by the
// base), have PyTorch's geometry, and route gradients back; plus cat/stack/
// hstack/vstack shapes, promotion, the legacy empty skip and their errors.
#include "ft/gradcheck.h"
#include "test_util.h"

namespace ft::shape_views_test {

using test::iota;
using test::make;
using test::shape;
using test::values;

TEST(ShapeViews, SplitPiecesAreViews) {
  Tensor x = iota({5, 2});
  auto parts = split(x, 2);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(shape(parts[2]), (std::vector<int64_t>{1, 2}));
  EXPECT_TRUE(test::same_storage(parts[1], x));
  EXPECT_EQ(parts[1].storage_offset(), 4);
  uint32_t v0 = x._version();
  parts[1].fill_(-1);
  EXPECT_EQ(values(x), (std::vector<double>{0, 1, 2, 3, -1, -1, -1, -1, 8, 9}));
  EXPECT_GT(x._version(), v0);  // shared version counter
  // sizes
  auto s = x.split_with_sizes({1, 0, 4}, 0);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(shape(s[1]), (std::vector<int64_t>{0, 2}));
  EXPECT_EQ(values(s[2]), (std::vector<double>{2, 3, -1, -1, -1, -1, 8, 9}));
  FT_EXPECT_ERROR(split_with_sizes(x, {2, 2}), ErrorKind::Runtime, "sum exactly to 5");
  FT_EXPECT_ERROR(split(x, -1), ErrorKind::Runtime, "non-negative");
  FT_EXPECT_ERROR(split(x, 0), ErrorKind::Runtime, "split_size can only be 0");
  FT_EXPECT_ERROR(split(scalar_tensor(1.0), 1), ErrorKind::Runtime, "at least a 1-dimensional");
}

TEST(ShapeViews, ChunkCountsMatchPyTorch) {
  EXPECT_EQ(chunk(iota({5}), 3).size(), 3u);  // ceil(5/3) = 2 per chunk: 2, 2, 1
  EXPECT_EQ(chunk(iota({6}), 4).size(), 3u);
  EXPECT_EQ(chunk(zeros({0, 3}), 4).size(), 4u);  // an empty dim still gives `chunks` pieces
  EXPECT_EQ(split(zeros({0, 3}), 0).size(), 1u);
  FT_EXPECT_ERROR(chunk(iota({3}), 0), ErrorKind::Runtime, "greater than 0");
}

TEST(ShapeViews, UnbindSelectsViewsAndGradGoesToItsSlice) {
  Tensor x = iota({2, 3}, DType::Float64).requires_grad_(true);
  auto rows = x.unbind(1);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(values(rows[2]), (std::vector<double>{2, 5}));
  EXPECT_TRUE(test::same_storage(rows[2], x));
  EXPECT_EQ(rows[2].grad_fn_name(), "UnbindBackward0");
  (rows[1] * 3.0).sum().backward();
  EXPECT_EQ(values(x.grad()), (std::vector<double>{0, 3, 0, 0, 3, 0}));
  FT_EXPECT_ERROR(unbind(scalar_tensor(1.0)), ErrorKind::Index, "no dimensions");
}

TEST(ShapeViews, DiagonalGeometryAndWriteThrough) {
  Tensor x = iota({3, 4});
  Tensor d = x.diagonal(1);
  EXPECT_EQ(values(d), (std::vector<double>{1, 6, 11}));
  EXPECT_EQ(test::strides_of(d), (std::vector<int64_t>{5}));
  EXPECT_EQ(values(x.diagonal(-1)), (std::vector<double>{4, 9}));
  EXPECT_EQ(shape(x.diagonal(7)), (std::vector<int64_t>{0}));  // past the end: empty
  Tensor b = iota({2, 2, 3});
  EXPECT_EQ(values(diagonal(b, 0, 0, 2)), (std::vector<double>{0, 7, 3, 10}));  // (1, 2) then the diag dim
  EXPECT_EQ(shape(diagonal(b, 0, 0, 2)), (std::vector<int64_t>{2, 2}));
  d.fill_(0);
  EXPECT_EQ(values(x)[6], 0);
  FT_EXPECT_ERROR(x.diagonal(0, 1, -1), ErrorKind::Runtime, "cannot be identical");
  FT_EXPECT_ERROR(iota({3}).diagonal(), ErrorKind::Index, "Dimension out of range");
}

TEST(ShapeViews, UnfoldWindowsAndOverlappingGradient) {
  Tensor x = iota({5}, DType::Float64).requires_grad_(true);
  Tensor w = x.unfold(0, 3, 1);  // 3 overlapping windows
  EXPECT_EQ(shape(w), (std::vector<int64_t>{3, 3}));
  EXPECT_EQ(values(w), (std::vector<double>{0, 1, 2, 1, 2, 3, 2, 3, 4}));
  EXPECT_TRUE(test::same_storage(w, x));
  w.sum().backward();
  EXPECT_EQ(values(x.grad()), (std::vector<double>{1, 2, 3, 2, 1}));  // how many windows hold each element
  EXPECT_EQ(shape(scalar_tensor(2.0).unfold(0, 1, 1)), (std::vector<int64_t>{1}));
  FT_EXPECT_ERROR(iota({3}).unfold(0, 4, 1), ErrorKind::Runtime, "maximum size");
  FT_EXPECT_ERROR(iota({3}).unfold(0, 2, 0), ErrorKind::Runtime, "step is 0");
}

TEST(ShapeViews, MovedimSwapaxesUnflatten) {
  Tensor x = iota({2, 3, 4});
  Tensor m = movedim(x, {0, 1}, {2, 0});
  EXPECT_EQ(shape(m), (std::vector<int64_t>{3, 4, 2}));
  EXPECT_EQ(test::strides_of(m), (std::vector<int64_t>{4, 1, 12}));
  EXPECT_TRUE(test::same_storage(m, x));
  EXPECT_EQ(shape(x.movedim(-1, 0)), (std::vector<int64_t>{4, 2, 3}));
  EXPECT_EQ(shape(swapaxes(x, 0, 2)), (std::vector<int64_t>{4, 3, 2}));
  EXPECT_EQ(test::strides_of(x.swapdims(0, 1)), (std::vector<int64_t>{4, 12, 1}));
  FT_EXPECT_ERROR(movedim(x, {0, 0}, {1, 2}), ErrorKind::Runtime, "repeated dim in `source`");
  FT_EXPECT_ERROR(movedim(x, {0}, {1, 2}), ErrorKind::Runtime, "same number of dims");
  Tensor u = x.unflatten(2, {2, -1});
  EXPECT_EQ(shape(u), (std::vector<int64_t>{2, 3, 2, 2}));
  EXPECT_TRUE(test::same_storage(u, x));
  FT_EXPECT_ERROR(x.unflatten(1, {2, 2}), ErrorKind::Runtime, "don't multiply up");
  FT_EXPECT_ERROR(x.unflatten(1, {}), ErrorKind::Runtime, "must be non-empty");
}

TEST(ShapeViews, InplaceSqueezeUnsqueezeChangeGeometryOnly) {
  Tensor x = iota({2, 1, 3});
  void* data = x.data_ptr();
  uint32_t v = x._version();
  x.squeeze_(1);
  EXPECT_EQ(shape(x), (std::vector<int64_t>{2, 3}));
  x.unsqueeze_(-1);
  EXPECT_EQ(shape(x), (std::vector<int64_t>{2, 3, 1}));
  EXPECT_EQ(test::strides_of(x), (std::vector<int64_t>{3, 1, 1}));
  x.squeeze_();
  EXPECT_EQ(shape(x), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(x.data_ptr(), data);
  EXPECT_EQ(x._version(), v + 3);  // in-place ops, as PyTorch counts them (data untouched)
  FT_EXPECT_ERROR(x.unsqueeze_(4), ErrorKind::Index, "Dimension out of range");
  Tensor leaf = iota({3}, DType::Float64).requires_grad_(true);
  FT_EXPECT_ERROR(leaf.unsqueeze_(0), ErrorKind::Runtime, "leaf Variable that requires grad");
  Tensor y = leaf * 2.0;
  y.unsqueeze_(0);
  EXPECT_EQ(shape(y), (std::vector<int64_t>{1, 3}));
  (y * test::iota({1, 3}, DType::Float64)).sum().backward();
  EXPECT_EQ(values(leaf.grad()), (std::vector<double>{0, 2, 4}));
}

TEST(ShapeJoin, CatPromotesSkipsLegacyEmptyAndChecks) {
  Tensor a = make({1, 2, 3, 4}, {2, 2}, DType::Int64), b = make({0.5, 1.5}, {2, 1}, DType::Float32);
  Tensor c = cat({a, zeros({0}), b}, 1);
  EXPECT_EQ(c.dtype(), DType::Float32);
  EXPECT_EQ(shape(c), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(values(c), (std::vector<double>{1, 2, 0.5, 3, 4, 1.5}));
  EXPECT_EQ(shape(cat({zeros({0}), zeros({0})}, 5)), (std::vector<int64_t>{0}));  // all skipped: dim unchecked
  FT_EXPECT_ERROR(cat({a, make({1, 2, 3}, {1, 3})}, 0), ErrorKind::Runtime, "Sizes of tensors must match");
  FT_EXPECT_ERROR(cat({a, scalar_tensor(1.0)}, 0), ErrorKind::Runtime, "zero-dimensional tensor (at position 1)");
  FT_EXPECT_ERROR(cat(std::vector<Tensor>{}, 0), ErrorKind::Runtime, "non-empty list");
  FT_EXPECT_ERROR(cat({a, iota({4})}, 0), ErrorKind::Runtime, "same number of dimensions");
  Tensor out = zeros({1}, DType::Int32);
  FT_EXPECT_ERROR(cat_out(out, {a, b}, 1), ErrorKind::Runtime, "can't be cast");
}

TEST(ShapeJoin, StackHstackVstack) {
  Tensor a = iota({2, 3}), b = iota({2, 3}) + 10.0;
  EXPECT_EQ(shape(stack({a, b}, 1)), (std::vector<int64_t>{2, 2, 3}));
  EXPECT_EQ(values(stack({a, b}, -1)).at(1), 10);
  FT_EXPECT_ERROR(stack({a, iota({3, 2})}, 0), ErrorKind::Runtime, "equal size");
  EXPECT_EQ(shape(hstack({iota({2}), iota({3})})), (std::vector<int64_t>{5}));
  EXPECT_EQ(shape(hstack({a, iota({2, 1})})), (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(shape(vstack({iota({3}), a, scalar_tensor(1.0).expand({3})})), (std::vector<int64_t>{4, 3}));
  EXPECT_EQ(shape(vstack({scalar_tensor(1.0), scalar_tensor(2.0)})), (std::vector<int64_t>{2, 1}));
}

TEST(ShapeJoin, CatGradientIsSplitBackAndSecondOrderWorks) {
  Tensor a = test::rand_tensor({2, 3}, DType::Float64, 1).requires_grad_(true);
  Tensor b = test::rand_tensor({2, 1}, DType::Float64, 2).requires_grad_(true);
  Tensor w = test::rand_tensor({2, 4}, DType::Float64, 3);
  (cat({a, zeros({0}, DType::Float64), b}, 1) * w).sum().backward();
  EXPECT_EQ(values(a.grad()), values(w.narrow(1, 0, 3)));
  EXPECT_EQ(values(b.grad()), values(w.narrow(1, 3, 1)));
  auto f = [](const std::vector<Tensor>& in) {
    return std::vector<Tensor>{(cat({in[0], in[1]}, 1) * cat({in[0], in[1]}, 1)).sum()};
  };
  EXPECT_TRUE(autograd::gradgradcheck(f, {a.detach().requires_grad_(true), b.detach().requires_grad_(true)}).ok);
}

}  // namespace ft::shape_views_test
