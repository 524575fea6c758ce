// Engine-only tests of the shape family's copies: flip, roll, repeat, tile,
// repeat_interleave, narrow_copy, diag, diag_embed, tril/triu. Values on
// strided and expanded inputs, dtypes (bool, int), PyTorch's corner cases and
// errors, and first/second-order finite-difference gradients in float64.
#include "ft/gradcheck.h"
#include "test_util.h"

namespace ft::shape_copies_test {

using test::iota;
using test::make;
using test::shape;
using test::values;

// f's output projected on fixed weights, as a gradcheck function of one input.
autograd::DiffFn projected(std::function<Tensor(const Tensor&)> f) {
  return [f](const std::vector<Tensor>& in) {
    Tensor y = f(in[0]);
    return std::vector<Tensor>{(y * test::rand_tensor(y.sizes(), y.dtype(), 9)).sum()};
  };
}

// gradcheck and gradgradcheck of f at a random float64 input of `sizes`.
void check_grads(std::function<Tensor(const Tensor&)> f, IntArrayRef sizes) {
  Tensor x = test::rand_tensor(sizes, DType::Float64, 4).requires_grad_(true);
  auto g1 = autograd::gradcheck(projected(f), {x});
  EXPECT_TRUE(g1.ok) << g1.message;
  auto g2 = autograd::gradgradcheck(projected(f), {x});
  EXPECT_TRUE(g2.ok) << g2.message;
}

TEST(ShapeCopies, FlipOnStridedAndBool) {
  Tensor x = iota({2, 3});
  EXPECT_EQ(values(flip(x, {1})), (std::vector<double>{2, 1, 0, 5, 4, 3}));
  EXPECT_EQ(values(x.t().flip({0, 1})), (std::vector<double>{5, 2, 4, 1, 3, 0}));
  EXPECT_EQ(values(make({1, 0, 0}, {3}, DType::Bool).flip({0})), (std::vector<double>{0, 0, 1}));
  EXPECT_FALSE(test::same_storage(flip(x, {}), x));  // a copy even with no dims
  FT_EXPECT_ERROR(flip(x, {0, -2}), ErrorKind::Runtime, "appears multiple times");
  check_grads([](const Tensor& t) { return t.flip({0, 2}); }, {2, 3, 2});
}

TEST(ShapeCopies, RollFlatMultiDimAndEmpty) {
  Tensor x = iota({2, 3});
  EXPECT_EQ(values(roll(x, {1})), (std::vector<double>{5, 0, 1, 2, 3, 4}));
  EXPECT_EQ(values(roll(x, {1, -4}, {1, 0})), (std::vector<double>{2, 0, 1, 5, 3, 4}));
  EXPECT_EQ(values(roll(x, {1, 1}, {1, 1})), (std::vector<double>{1, 2, 0, 4, 5, 3}));  // same dim twice adds
  EXPECT_EQ(shape(roll(zeros({0, 2}), {1}, {7})), (std::vector<int64_t>{0, 2}));  // empty: dims unchecked
  FT_EXPECT_ERROR(roll(x, {}), ErrorKind::Runtime, "`shifts` required");
  FT_EXPECT_ERROR(roll(x, {1, 2}, {0}), ErrorKind::Runtime, "must align");
  check_grads([](const Tensor& t) { return t.roll({2, -1}, {0, 1}); }, {3, 4});
  check_grads([](const Tensor& t) { return t.roll({5}); }, {3, 2});
}

TEST(ShapeCopies, RepeatTileAndTheirGradient) {
  Tensor x = make({1, 2}, {2});
  EXPECT_EQ(values(x.repeat({2, 2})), (std::vector<double>{1, 2, 1, 2, 1, 2, 1, 2}));
  EXPECT_EQ(shape(x.repeat({3, 0})), (std::vector<int64_t>{3, 0}));
  EXPECT_EQ(shape(tile(iota({2, 3}), {2})), (std::vector<int64_t>{2, 6}));
  FT_EXPECT_ERROR(iota({2, 3}).repeat({2}), ErrorKind::Runtime, "can not be smaller");
  FT_EXPECT_ERROR(x.repeat({-1}), ErrorKind::Runtime, "negative dimension");
  Tensor leaf = make({1, 2}, {2}, DType::Float64).requires_grad_(true);
  leaf.repeat({3, 2}).sum().backward();
  EXPECT_EQ(values(leaf.grad()), (std::vector<double>{6, 6}));
  check_grads([](const Tensor& t) { return t.repeat({2, 1, 3}); }, {2, 2});
  check_grads([](const Tensor& t) { return t.expand({3, 2}).repeat({1, 2}); }, {2});
}

TEST(ShapeCopies, RepeatInterleaveIntAndTensor) {
  Tensor x = iota({2, 2});
  EXPECT_EQ(values(repeat_interleave(x, 2)), (std::vector<double>{0, 0, 1, 1, 2, 2, 3, 3}));
  EXPECT_EQ(values(x.repeat_interleave(2, 1)), (std::vector<double>{0, 0, 1, 1, 2, 2, 3, 3}));
  EXPECT_EQ(shape(x.repeat_interleave(2, 0)), (std::vector<int64_t>{4, 2}));
  Tensor r = make({1, 3}, {2}, DType::Int64);
  EXPECT_EQ(values(x.repeat_interleave(r, 0)), (std::vector<double>{0, 1, 2, 3, 2, 3, 2, 3}));
  FT_EXPECT_ERROR(x.repeat_interleave(-1, 0), ErrorKind::Runtime, "can not be negative");
  FT_EXPECT_ERROR(x.repeat_interleave(make({1, 1, 1}, {3}, DType::Int64), 0), ErrorKind::Runtime, "same size");
  FT_EXPECT_ERROR(x.repeat_interleave(make({1, 1}, {2}, DType::Float32), 0), ErrorKind::Runtime, "Long or Int");
  check_grads([](const Tensor& t) { return t.repeat_interleave(3, 1); }, {2, 2});
  check_grads([](const Tensor& t) { return t.repeat_interleave(2); }, {2, 3});
  check_grads([](const Tensor& t) { return t.repeat_interleave(make({2, 0, 1}, {3}, DType::Int64), 0); }, {3, 2});
}

TEST(ShapeCopies, NarrowCopyChecksAndHasNoDerivative) {
  Tensor x = iota({3, 2});
  Tensor n = narrow_copy(x, 0, -2, 2);
  EXPECT_EQ(values(n), (std::vector<double>{2, 3, 4, 5}));
  EXPECT_FALSE(test::same_storage(n, x));
  FT_EXPECT_ERROR(narrow_copy(x, 0, 2, 2), ErrorKind::Runtime, "exceeds dimension size");
  FT_EXPECT_ERROR(narrow_copy(scalar_tensor(1.0), 0, 0, 1), ErrorKind::Runtime, "0-dim");
  // NOTE [ narrow_copy keeps a dense input's strides ]: row-major data, transposed strides.
  Tensor t = iota({2, 3}).t();
  EXPECT_EQ(values(narrow_copy(t, 0, 0, 3)), (std::vector<double>{0, 4, 3, 2, 1, 5}));
  EXPECT_EQ(values(narrow_copy(t, 0, 0, 2)), (std::vector<double>{0, 3, 1, 4}));  // shape changed: contiguous
  Tensor leaf = iota({3}, DType::Float64).requires_grad_(true);
  Tensor y = narrow_copy(leaf, 0, 0, 2);
  EXPECT_TRUE(y.requires_grad());
  FT_EXPECT_ERROR(y.sum().backward(), ErrorKind::Runtime, "derivative for 'narrow_copy' is not implemented");
}

TEST(ShapeCopies, DiagAndDiagEmbed) {
  EXPECT_EQ(values(diag(make({1, 2}, {2}), 1)), (std::vector<double>{0, 1, 0, 0, 0, 2, 0, 0, 0}));
  EXPECT_EQ(values(iota({3, 3}).diag(-1)), (std::vector<double>{3, 7}));
  EXPECT_EQ(shape(iota({2, 3}).diag(3)), (std::vector<int64_t>{0}));
  FT_EXPECT_ERROR(iota({2, 3}).diag(4), ErrorKind::Runtime, "negative dimension");  // libtorch 1.13 raises
  FT_EXPECT_ERROR(iota({2, 2, 2}).diag(), ErrorKind::Runtime, "Supports 1D or 2D");
  Tensor e = diag_embed(iota({2, 2}), 0, 0, 2);
  EXPECT_EQ(shape(e), (std::vector<int64_t>{2, 2, 2}));
  EXPECT_EQ(values(e), (std::vector<double>{0, 0, 2, 0, 0, 1, 0, 3}));  // e[i,j,i] = x[j,i]
  check_grads([](const Tensor& t) { return t.diag(1); }, {3});
  check_grads([](const Tensor& t) { return t.diag(-1); }, {3, 4});
  check_grads([](const Tensor& t) { return t.diagonal(1, 2, 0); }, {3, 2, 4});
  check_grads([](const Tensor& t) { return t.diag_embed(-1, 2, 0); }, {2, 3});
}

TEST(ShapeCopies, TrilTriuAllForms) {
  Tensor x = iota({3, 3});
  EXPECT_EQ(values(tril(x)), (std::vector<double>{0, 0, 0, 3, 4, 0, 6, 7, 8}));
  EXPECT_EQ(values(x.triu(1)), (std::vector<double>{0, 1, 2, 0, 0, 5, 0, 0, 0}));
  EXPECT_EQ(values(x.t().tril(-1)), (std::vector<double>{0, 0, 0, 1, 0, 0, 2, 5, 0}));
  Tensor b = make({1, 1, 1, 1}, {2, 2}, DType::Bool);
  EXPECT_EQ(values(b.triu()), (std::vector<double>{1, 1, 0, 1}));
  Tensor y = iota({2, 2, 2});
  uint32_t v = y._version();
  y.tril_(0);
  EXPECT_EQ(values(y), (std::vector<double>{0, 0, 2, 3, 4, 0, 6, 7}));
  EXPECT_GT(y._version(), v);
  Tensor out = empty({0});
  triu_out(out, x, 0);
  EXPECT_EQ(values(out), values(x.triu()));
  EXPECT_EQ(shape(tril(zeros({0}))), (std::vector<int64_t>{0}));  // empty: rank unchecked
  FT_EXPECT_ERROR(tril(iota({3})), ErrorKind::Runtime, "at least 2 dimensions");
  check_grads([](const Tensor& t) { return t.tril(-1); }, {2, 3, 3});
  check_grads([](const Tensor& t) { return t.triu(1); }, {3, 4});
}

}  // namespace ft::shape_copies_test
