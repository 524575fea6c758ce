// The indexing family: results against values computed with PyTorch 1.13
// (python torch), out-of-range indices and bad arguments raising ft::Error
// with PyTorch's messages, node names, and first/second-order gradients
// (gradcheck / gradgradcheck) of every differentiable op.
#include <gtest/gtest.h>

#include "ft/gradcheck.h"
#include "test_util.h"

namespace ft {
namespace index_ops_test {

using test::make;
using test::values;
using test::vec;

Tensor L(const std::vector<double>& v, IntArrayRef s) { return make(v, s, DType::Int64); }
Tensor L(const std::vector<double>& v) { return vec(v, DType::Int64); }
Tensor x34() { return test::iota({3, 4}); }

TEST(IndexOps, GatherScatter) {
  EXPECT_EQ(values(x34().gather(1, L({3, 0, 1, 1, 2, 0}, {3, 2}))), (std::vector<double>{3, 0, 5, 5, 10, 8}));
  EXPECT_EQ(values(zeros({3, 4}).scatter(1, L({3, 0, 1, 2, 2, 0}, {3, 2}), make({1, 2, 3, 4, 5, 6}, {3, 2}))),
            (std::vector<double>{2, 0, 0, 1, 0, 3, 4, 0, 6, 0, 5, 0}));
  EXPECT_EQ(values(zeros({3, 4}).scatter_add(1, L({1, 1, 0, 0, 3, 3}, {3, 2}), make({1, 2, 3, 4, 5, 6}, {3, 2}))),
            (std::vector<double>{0, 3, 0, 0, 7, 0, 0, 0, 0, 0, 0, 11}));
  // non-contiguous self
  EXPECT_EQ(values(x34().t().gather(0, L({2, 0}, {1, 2}))), (std::vector<double>{2, 4}));
}

TEST(IndexOps, ScatterReduce) {
  const Tensor self = vec({1, 2, 3, 4}), idx = L({0, 0, 2, 2, 2}), src = vec({5, 6, 7, 8, -9});
  struct Want { const char* r; bool inc; std::vector<double> v; };
  const Want wants[] = {{"sum", true, {12, 2, 9, 4}},      {"sum", false, {11, 2, 6, 4}},
                        {"prod", true, {30, 2, -1512, 4}}, {"prod", false, {30, 2, -504, 4}},
                        {"mean", true, {4, 2, 2.25, 4}},   {"mean", false, {5.5, 2, 2, 4}},
                        {"amax", true, {6, 2, 8, 4}},      {"amax", false, {6, 2, 8, 4}},
                        {"amin", true, {1, 2, -9, 4}},     {"amin", false, {5, 2, -9, 4}}};
  for (const auto& w : wants) EXPECT_EQ(values(self.scatter_reduce(0, idx, src, w.r, w.inc)), w.v) << w.r << w.inc;
}

TEST(IndexOps, OneDim) {
  EXPECT_EQ(values(x34().index_select(1, L({3, 1, 3}))), (std::vector<double>{3, 1, 3, 7, 5, 7, 11, 9, 11}));
  EXPECT_EQ(values(x34().index_select(1, vec({3, 1, 3}, DType::Int32))),
            (std::vector<double>{3, 1, 3, 7, 5, 7, 11, 9, 11}));  // int32 indices are accepted
  EXPECT_EQ(values(x34().index_add(0, L({2, 0, 2}), ones({3, 4}), 2)),
            (std::vector<double>{2, 3, 4, 5, 4, 5, 6, 7, 12, 13, 14, 15}));
  EXPECT_EQ(values(x34().index_copy(1, L({3, 0}), full({3, 2}, -1))),
            (std::vector<double>{-1, 1, 2, -1, -1, 5, 6, -1, -1, 9, 10, -1}));
  EXPECT_EQ(values(x34().index_fill(1, L({-1, 1}), 7)), (std::vector<double>{0, 7, 2, 7, 4, 7, 6, 7, 8, 7, 10, 7}));
}

TEST(IndexOps, FlatAndMasks) {
  EXPECT_EQ(values(x34().take(L({0, -1, 5, 11}, {2, 2}))), (std::vector<double>{0, 11, 5, 11}));
  EXPECT_EQ(values(take_along_dim(x34(), L({0, 2, 1}, {3, 1}), 1)), (std::vector<double>{0, 6, 9}));
  EXPECT_EQ(values(x34().masked_select(vec({1, 0, 1, 0}, DType::Bool))), (std::vector<double>{0, 2, 4, 6, 8, 10}));
  EXPECT_EQ(values(zeros({2, 3}).masked_scatter(make({1, 0, 1, 0, 1, 0}, {2, 3}, DType::Bool), vec({1, 2, 3, 4}))),
            (std::vector<double>{1, 0, 2, 0, 3, 0}));
  EXPECT_EQ(values(make({0, 1, 2, 0}, {2, 2}).nonzero()), (std::vector<double>{0, 1, 1, 0}));
  auto w = where(make({0, 1, 2, 0}, {2, 2}));
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(values(w[0]), (std::vector<double>{0, 1}));
  EXPECT_EQ(values(w[1]), (std::vector<double>{1, 0}));
}

TEST(IndexOps, AdvancedIndexing) {
  const Tensor y = test::iota({2, 3, 4});
  // non-adjacent indexed dims move to the front
  Tensor r = index(y, {L({1, 0}), std::nullopt, L({3, 2})});
  EXPECT_EQ(test::shape(r), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(values(r), (std::vector<double>{15, 19, 23, 2, 6, 10}));
  r = index(y, {std::nullopt, L({2, 0}, {2, 1}), L({1, 3})});
  EXPECT_EQ(test::shape(r), (std::vector<int64_t>{2, 2, 2}));
  EXPECT_EQ(values(r), (std::vector<double>{9, 11, 1, 3, 21, 23, 13, 15}));
  r = index(y, {make({1, 0, 1, 0, 0, 1}, {2, 3}, DType::Bool)});
  EXPECT_EQ(test::shape(r), (std::vector<int64_t>{3, 4}));
  Tensor z = zeros({5});
  z.index_put_({L({1, 1, 3})}, vec({1, 2, 3}), /*accumulate=*/true);
  EXPECT_EQ(values(z), (std::vector<double>{0, 3, 0, 3, 0}));
}

TEST(IndexOps, OutOfRangeRaises) {
  const Tensor x = x34();
  FT_EXPECT_ERROR(x.gather(1, L({5}, {1, 1})), ErrorKind::Runtime, "index 5 is out of bounds for dimension 1 with size 4");
  FT_EXPECT_ERROR(x.gather(1, L({-1}, {1, 1})), ErrorKind::Runtime, "index -1 is out of bounds");
  FT_EXPECT_ERROR(x.gather(1, make({0}, {1, 1}, DType::Int32)), ErrorKind::Runtime, "Expected dtype int64 for index");
  FT_EXPECT_ERROR(x.scatter(0, L({3}, {1, 1}), 1.0), ErrorKind::Runtime, "index 3 is out of bounds for dimension 0 with size 3");
  FT_EXPECT_ERROR(x.index_select(0, L({3})), ErrorKind::Index, "INDICES element is out of DATA bounds");
  FT_EXPECT_ERROR(x.index_add(0, L({-1}), ones({1, 4})), ErrorKind::Index, "index out of range in self");
  FT_EXPECT_ERROR(x.index_copy(0, L({3}), ones({1, 4})), ErrorKind::Index, "index_copy_(): index 3 is out of bounds");
  FT_EXPECT_ERROR(x.index_fill(1, L({4}), 0), ErrorKind::Index, "index 4 is out of bounds for dimension 1 with size 4");
  FT_EXPECT_ERROR(x.take(L({12})), ErrorKind::Index, "out of range: tried to access index 12 on a tensor of 12 elements.");
  FT_EXPECT_ERROR(index(x, {L({3})}), ErrorKind::Index, "index 3 is out of bounds for dimension 0 with size 3");
  FT_EXPECT_ERROR(index(x, {make({0}, {1}, DType::Int32)}), ErrorKind::Index,
                  "tensors used as indices must be long, byte or bool tensors");
  FT_EXPECT_ERROR(index(x, {L({0}), L({0}), L({0})}), ErrorKind::Index, "too many indices for tensor of dimension 2");
  FT_EXPECT_ERROR(index_put(x, {L({0, 1})}, ones({3}), false), ErrorKind::Runtime, "shape mismatch");
}

TEST(IndexOps, NodeNames) {
  Tensor x = test::rand_tensor({3, 4}).requires_grad_();
  Tensor s = test::rand_tensor({3, 4}, DType::Float64, 2).requires_grad_();
  const Tensor i2 = L({0, 2, 1, 1}, {2, 2}), i1 = L({2, 0});
  EXPECT_EQ(x.gather(1, i2).grad_fn_name(), "GatherBackward0");
  EXPECT_EQ(x.scatter(1, i2, s).grad_fn_name(), "ScatterBackward0");
  EXPECT_EQ(x.scatter(1, i2, 1.0).grad_fn_name(), "ScatterBackward1");
  EXPECT_EQ(x.scatter_add(1, i2, s).grad_fn_name(), "ScatterAddBackward0");
  EXPECT_EQ(x.scatter_reduce(1, i2, s, "amax").grad_fn_name(), "ScatterReduceBackward0");
  EXPECT_EQ(x.index_select(0, i1).grad_fn_name(), "IndexSelectBackward0");
  EXPECT_EQ(x.index_add(0, i1, s.narrow(0, 0, 2)).grad_fn_name(), "IndexAddBackward0");
  EXPECT_EQ(x.index_copy(0, i1, s.narrow(0, 0, 2)).grad_fn_name(), "IndexCopyBackward0");
  EXPECT_EQ(x.index_fill(0, i1, 1).grad_fn_name(), "IndexFillBackward0");
  EXPECT_EQ(x.take(i1).grad_fn_name(), "TakeBackward0");
  EXPECT_EQ(x.masked_select(x.gt(0)).grad_fn_name(), "MaskedSelectBackward0");
  EXPECT_EQ(x.masked_scatter(x.gt(0), s).grad_fn_name(), "MaskedScatterBackward0");
  EXPECT_EQ(index(x, {i1}).grad_fn_name(), "IndexBackward0");
  EXPECT_EQ(index_put(x, {i1}, s.narrow(0, 0, 2)).grad_fn_name(), "IndexPutBackward0");
  EXPECT_EQ(take_along_dim(x, L({0, 2, 1}, {3, 1}), 1).grad_fn_name(), "GatherBackward0");
}

// First- and second-order gradients against finite differences (float64).
TEST(IndexOps, Gradcheck) {
  using autograd::gradcheck;
  using autograd::gradgradcheck;
  const Tensor i2 = L({0, 2, 1, 1, 3, 3}, {3, 2}), dup = L({2, 0, 2});
  std::vector<std::pair<const char*, autograd::DiffFn>> fns = {
      {"gather", [&](const std::vector<Tensor>& v) { return std::vector<Tensor>{v[0].gather(1, i2)}; }},
      // src must have the index's shape: 1.13's src gradient has it
      {"scatter", [&](const std::vector<Tensor>& v) { return std::vector<Tensor>{v[0].scatter(1, L({0, 2, 1, 3, 3, 0}, {3, 2}), v[1].narrow(1, 0, 2))}; }},
      {"scatter_add", [&](const std::vector<Tensor>& v) { return std::vector<Tensor>{v[0].scatter_add(1, i2, v[1].narrow(1, 0, 2))}; }},
      {"scatter_reduce_prod", [&](const std::vector<Tensor>& v) { return std::vector<Tensor>{v[0].scatter_reduce(1, i2, v[1].narrow(1, 0, 2), "prod", false)}; }},
      {"scatter_reduce_mean", [&](const std::vector<Tensor>& v) { return std::vector<Tensor>{v[0].scatter_reduce(1, i2, v[1].narrow(1, 0, 2), "mean")}; }},
      {"index_select", [&](const std::vector<Tensor>& v) { return std::vector<Tensor>{v[0].index_select(0, dup)}; }},
      {"index_add", [&](const std::vector<Tensor>& v) { return std::vector<Tensor>{v[0].index_add(0, dup, v[1], 3)}; }},
      {"take", [&](const std::vector<Tensor>& v) { return std::vector<Tensor>{v[0].take(L({-1, 3, 3}))}; }},
      {"masked_select", [&](const std::vector<Tensor>& v) { return std::vector<Tensor>{v[0].masked_select(v[1].gt(0))}; }},
      {"index", [&](const std::vector<Tensor>& v) { return std::vector<Tensor>{index(v[0], {dup, std::nullopt})}; }},
      {"index_put_acc", [&](const std::vector<Tensor>& v) { return std::vector<Tensor>{index_put(v[0], {dup}, v[1], true)}; }},
  };
  for (auto& [name, f] : fns) {
    Tensor a = test::rand_tensor({3, 4}, DType::Float64, 3).requires_grad_();
    Tensor b = test::rand_tensor({3, 4}, DType::Float64, 4).requires_grad_();
    auto r1 = gradcheck(f, {a, b});
    EXPECT_TRUE(r1.ok) << name << ": " << r1.message;
    auto r2 = gradgradcheck(f, {a, b});
    EXPECT_TRUE(r2.ok) << name << ": " << r2.message;
  }
}

}  // namespace index_ops_test
}  // namespace ft
