// Views and strides: view/reshape (view when possible, copy otherwise),
// permute, transpose, t, expand (stride 0), squeeze/unsqueeze, narrow, slice
// with step, select, as_strided, flatten, contiguous; negative dims; views
// share storage and the version counter.
#include <gtest/gtest.h>

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

TEST(Views, ViewSharesStorage) {
  Tensor x = iota({2, 3, 4});
  Tensor v = x.view({6, 4});
  EXPECT_TRUE(same_storage(x, v));
  EXPECT_EQ(shape(v), (S{6, 4}));
  EXPECT_EQ(strides_of(v), (S{4, 1}));
  EXPECT_EQ(values(v), values(x));
  Tensor w = x.view({-1, 2});
  EXPECT_EQ(shape(w), (S{12, 2}));
  // Writes through a view are visible in the base.
  w.select(0, 5).fill_(-1);
  EXPECT_EQ(values(x)[10], -1);
  EXPECT_EQ(values(x)[11], -1);
  EXPECT_EQ(values(x)[9], 9);
}

TEST(Views, ViewOfNonContiguousWhenCompatible) {
  // (3, 4) with strides (1, 3): dim 1 can split into (2, 2) with strides (6, 3).
  Tensor a = iota({4, 3}).t();
  Tensor v = a.view({3, 2, 2});
  EXPECT_TRUE(same_storage(a, v));
  EXPECT_EQ(strides_of(v), (S{1, 6, 3}));
  EXPECT_EQ(values(v), values(a));
}

TEST(Views, ReshapeViewsWhenPossibleCopiesOtherwise) {
  Tensor x = iota({3, 4});
  Tensor r = x.reshape({2, 6});
  EXPECT_TRUE(same_storage(x, r));
  EXPECT_EQ(strides_of(r), (S{6, 1}));

  Tensor t = x.t();
  Tensor c = t.reshape({12});
  EXPECT_FALSE(same_storage(t, c));
  EXPECT_TRUE(c.is_contiguous());
  EXPECT_EQ(values(c), (V{0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}));
  // A copy does not alias: writing to it leaves x alone.
  c.fill_(100);
  EXPECT_EQ(values(x)[1], 1);
}

TEST(Views, PermuteAndNegativeDims) {
  Tensor x = iota({2, 3, 4});
  Tensor p = x.permute({2, 0, 1});
  EXPECT_EQ(shape(p), (S{4, 2, 3}));
  EXPECT_EQ(strides_of(p), (S{1, 12, 4}));
  EXPECT_TRUE(same_storage(x, p));
  EXPECT_FALSE(p.is_contiguous());
  Tensor q = x.permute({-1, -3, -2});
  EXPECT_EQ(shape(q), shape(p));
  EXPECT_EQ(strides_of(q), strides_of(p));
  // p[i][j][k] == x[j][k][i]
  auto pv = values(p), xv = values(x);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 2; ++j)
      for (int k = 0; k < 3; ++k) EXPECT_EQ(pv[size_t((i * 2 + j) * 3 + k)], xv[size_t((j * 3 + k) * 4 + i)]);
}

TEST(Views, TransposeAndT) {
  Tensor x = iota({2, 3, 4});
  Tensor tr = x.transpose(-1, -3);
  EXPECT_EQ(shape(tr), (S{4, 3, 2}));
  EXPECT_EQ(strides_of(tr), (S{1, 4, 12}));
  EXPECT_EQ(strides_of(x.transpose(1, 1)), strides_of(x));

  Tensor m = iota({2, 3});
  Tensor mt = m.t();
  EXPECT_EQ(shape(mt), (S{3, 2}));
  EXPECT_EQ(strides_of(mt), (S{1, 3}));
  EXPECT_EQ(values(mt), (V{0, 3, 1, 4, 2, 5}));
  EXPECT_EQ(shape(iota({5}).t()), (S{5}));  // 1-D: unchanged
  EXPECT_EQ(iota({}).t().dim(), 0);
}

TEST(Views, ExpandUsesStrideZero) {
  Tensor x = test::vec({1, 2, 3}).view({3, 1});
  Tensor e = x.expand({2, 3, 4});
  EXPECT_EQ(shape(e), (S{2, 3, 4}));
  EXPECT_EQ(strides_of(e), (S{0, 1, 0}));
  EXPECT_TRUE(same_storage(x, e));
  auto ev = values(e);
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 3; ++b)
      for (int c = 0; c < 4; ++c) EXPECT_EQ(ev[size_t((a * 3 + b) * 4 + c)], double(b + 1));
  // -1 keeps the existing size.
  Tensor f = x.expand({-1, 5});
  EXPECT_EQ(shape(f), (S{3, 5}));
  EXPECT_EQ(strides_of(f), (S{1, 0}));
  EXPECT_EQ(shape(x.expand_as(iota({7, 3, 2}))), (S{7, 3, 2}));
  // A 0-dim tensor expands to anything.
  EXPECT_EQ(values(test::make({4}, {}).expand({2, 2})), (V{4, 4, 4, 4}));
}

TEST(Views, SqueezeUnsqueeze) {
  Tensor x = iota({2, 1, 3, 1});
  Tensor s = x.squeeze();
  EXPECT_EQ(shape(s), (S{2, 3}));
  EXPECT_EQ(strides_of(s), (S{3, 1}));
  EXPECT_EQ(shape(x.squeeze(-1)), (S{2, 1, 3}));
  EXPECT_EQ(shape(x.squeeze(1)), (S{2, 3, 1}));
  EXPECT_EQ(shape(x.squeeze(0)), (S{2, 1, 3, 1}));  // size 2: no-op
  EXPECT_TRUE(same_storage(x, s));

  Tensor m = iota({2, 3});
  EXPECT_EQ(shape(m.unsqueeze(0)), (S{1, 2, 3}));
  EXPECT_EQ(strides_of(m.unsqueeze(0)), (S{6, 3, 1}));
  EXPECT_EQ(strides_of(m.unsqueeze(1)), (S{3, 3, 1}));
  EXPECT_EQ(shape(m.unsqueeze(-1)), (S{2, 3, 1}));
  EXPECT_EQ(strides_of(m.unsqueeze(-1)), (S{3, 1, 1}));
  EXPECT_EQ(shape(m.unsqueeze(-3)), (S{1, 2, 3}));
  EXPECT_EQ(shape(iota({}).unsqueeze(0)), (S{1}));
  EXPECT_EQ(iota({1}).squeeze().dim(), 0);
}

TEST(Views, NarrowAndSliceWithStep) {
  Tensor x = iota({3, 4});
  Tensor n = x.narrow(-1, 1, 2);
  EXPECT_EQ(shape(n), (S{3, 2}));
  EXPECT_EQ(n.storage_offset(), 1);
  EXPECT_EQ(values(n), (V{1, 2, 5, 6, 9, 10}));
  EXPECT_EQ(values(x.narrow(0, -1, 1)), (V{8, 9, 10, 11}));

  Tensor s = x.slice(1, 1, std::nullopt, 2);
  EXPECT_EQ(shape(s), (S{3, 2}));
  EXPECT_EQ(strides_of(s), (S{4, 2}));
  EXPECT_EQ(s.storage_offset(), 1);
  EXPECT_EQ(values(s), (V{1, 3, 5, 7, 9, 11}));
  EXPECT_TRUE(same_storage(x, s));

  Tensor t = test::vec({0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  EXPECT_EQ(values(t.slice(0, 0, std::nullopt, 3)), (V{0, 3, 6, 9}));
  EXPECT_EQ(values(t.slice(0, -4, -1)), (V{6, 7, 8}));
  EXPECT_EQ(values(t.slice(0, 7, 100)), (V{7, 8, 9}));   // end clamped
  EXPECT_EQ(t.slice(0, 8, 3).numel(), 0);               // empty when end < start
  EXPECT_EQ(values(t.slice(-1, 2, 9, 4)), (V{2, 6}));
  // Slice of a slice accumulates offset and stride.
  Tensor ss = t.slice(0, 1, std::nullopt, 2).slice(0, 1, std::nullopt, 2);
  EXPECT_EQ(ss.storage_offset(), 3);
  EXPECT_EQ(ss.stride(0), 4);
  EXPECT_EQ(values(ss), (V{3, 7}));
}

TEST(Views, Select) {
  Tensor x = iota({3, 4});
  Tensor r = x.select(0, 1);
  EXPECT_EQ(shape(r), (S{4}));
  EXPECT_EQ(values(r), (V{4, 5, 6, 7}));
  Tensor c = x.select(-1, -1);
  EXPECT_EQ(c.storage_offset(), 3);
  EXPECT_EQ(c.stride(0), 4);
  EXPECT_EQ(values(c), (V{3, 7, 11}));
  EXPECT_EQ(x.select(0, 2).select(0, 1).item<float>(), 9.f);
  // Select of a permuted view.
  Tensor p = iota({2, 3, 4}).permute({2, 0, 1}).select(1, 1);  // (4, 3): p[i][k] = x[1][k][i]
  EXPECT_EQ(values(p), (V{12, 16, 20, 13, 17, 21, 14, 18, 22, 15, 19, 23}));
}

TEST(Views, AsStrided) {
  Tensor x = iota({12});
  Tensor a = x.as_strided({2, 2}, {1, 4}, 1);
  EXPECT_EQ(shape(a), (S{2, 2}));
  EXPECT_EQ(strides_of(a), (S{1, 4}));
  EXPECT_EQ(a.storage_offset(), 1);
  EXPECT_EQ(values(a), (V{1, 5, 2, 6}));
  EXPECT_TRUE(same_storage(x, a));
  // Offset defaults to the input's offset.
  Tensor b = x.slice(0, 2, std::nullopt).as_strided({3}, {3});
  EXPECT_EQ(values(b), (V{2, 5, 8}));
  // Overlapping windows are allowed.
  EXPECT_EQ(values(x.as_strided({3, 2}, {1, 1})), (V{0, 1, 1, 2, 2, 3}));
}

TEST(Views, Flatten) {
  Tensor x = iota({2, 3, 4});
  EXPECT_EQ(shape(x.flatten()), (S{24}));
  EXPECT_EQ(shape(x.flatten(1)), (S{2, 12}));
  EXPECT_EQ(shape(x.flatten(0, 1)), (S{6, 4}));
  EXPECT_EQ(shape(x.flatten(-2, -1)), (S{2, 12}));
  EXPECT_EQ(shape(x.flatten(1, 1)), (S{2, 3, 4}));
  EXPECT_TRUE(same_storage(x, x.flatten()));
  EXPECT_EQ(shape(iota({}).flatten()), (S{1}));
  Tensor t = iota({2, 3}).t();
  Tensor f = t.flatten();
  EXPECT_FALSE(same_storage(t, f));
  EXPECT_EQ(values(f), (V{0, 3, 1, 4, 2, 5}));
}

TEST(Views, Contiguous) {
  Tensor x = iota({2, 3});
  EXPECT_TRUE(x.contiguous().is_same(x));  // already contiguous: same tensor
  Tensor t = x.t();
  EXPECT_FALSE(t.is_contiguous());
  Tensor c = t.contiguous();
  EXPECT_TRUE(c.is_contiguous());
  EXPECT_EQ(strides_of(c), (S{2, 1}));
  EXPECT_FALSE(same_storage(c, x));
  EXPECT_EQ(values(c), (V{0, 3, 1, 4, 2, 5}));
  // Size-1 dims do not break contiguity.
  EXPECT_TRUE(iota({3, 1}).t().is_contiguous());
  EXPECT_TRUE(iota({4}).expand({1, 4}).is_contiguous());
  EXPECT_FALSE(iota({4, 1}).expand({4, 3}).is_contiguous());
}

TEST(Views, NegativeDimsInSizeAndStride) {
  Tensor x = iota({2, 3, 4});
  EXPECT_EQ(x.size(-1), 4);
  EXPECT_EQ(x.size(-3), 2);
  EXPECT_EQ(x.stride(-2), 4);
  EXPECT_EQ(x.stride(0), 12);
}

TEST(Views, ViewsShareVersionCounter) {
  Tensor x = iota({2, 3});
  Tensor v = x.view({6});
  Tensor s = x.select(0, 1);
  Tensor p = x.t();
  Tensor e = x.select(1, 0).unsqueeze(1).expand({2, 5});
  uint32_t v0 = x._version();
  s.fill_(7);
  EXPECT_EQ(x._version(), v0 + 1);
  EXPECT_EQ(v._version(), v0 + 1);
  EXPECT_EQ(p._version(), v0 + 1);
  EXPECT_EQ(e._version(), v0 + 1);
  EXPECT_EQ(values(x), (V{0, 1, 2, 7, 7, 7}));
  x.add_(test::make({1}, {}));
  EXPECT_EQ(s._version(), v0 + 2);
  EXPECT_EQ(values(e), (V{1, 1, 1, 1, 1, 8, 8, 8, 8, 8}));
}

}  // namespace
}  // namespace ft
