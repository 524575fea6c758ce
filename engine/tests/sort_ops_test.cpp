// The sorting family: results against values computed with PyTorch 1.13
// (python torch), including the order of ties of the non-stable paths
// (std::sort past 16 elements, topk's partial_sort and nth_element, the
// kthvalue quickselect), NaN placement, errors with PyTorch's messages, node
// names, and first/second-order gradients of sort/topk/kthvalue.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "ft/gradcheck.h"
#include "ft/parallel.h"
#include "test_util.h"

namespace ft {
namespace sort_ops_test {

using test::make;
using test::values;
using test::vec;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using V = std::vector<double>;

V ints(const Tensor& t) { return values(t); }
// 0, 1, 2, 0, 1, 2, ... (n values): heavy ties.
Tensor mod_seq(int64_t n, int64_t m) {
  V v;
  for (int64_t i = 0; i < n; ++i) v.push_back(double(i % m));
  return vec(v);
}
::testing::AssertionResult same_nan(const V& got, const V& want) {
  if (got.size() != want.size()) return ::testing::AssertionFailure() << "size";
  for (size_t i = 0; i < got.size(); ++i)
    if (!(got[i] == want[i] || (std::isnan(got[i]) && std::isnan(want[i]))))
      return ::testing::AssertionFailure() << "at " << i << ": " << got[i] << " != " << want[i];
  return ::testing::AssertionSuccess();
}

TEST(SortOps, SortNaNAndTies) {
  const Tensor x = vec({2, kNaN, -1, 2, 0, -1});
  auto [v, i] = sort(x);
  EXPECT_TRUE(same_nan(values(v), {-1, -1, 0, 2, 2, kNaN}));
  EXPECT_EQ(ints(i), (V{2, 5, 4, 0, 3, 1}));
  auto [vd, id] = sort(x, 0, true);
  EXPECT_TRUE(same_nan(values(vd), {kNaN, 2, 2, 0, -1, -1}));
  EXPECT_EQ(ints(id), (V{1, 0, 3, 4, 2, 5}));
  // Past 16 elements std::sort's order of ties is not the stable one; libtorch's is std::sort's.
  const Tensor y = mod_seq(40, 3);
  EXPECT_EQ(ints(std::get<1>(sort(y))),
            (V{0, 21, 18, 24, 15, 27, 12, 30, 9, 33, 6, 36, 3, 39, 31, 34, 28, 37, 25, 22,
               1, 19, 16, 4, 13, 7, 10, 2, 20, 38, 5, 35, 8, 32, 11, 29, 14, 26, 17, 23}));
  EXPECT_EQ(ints(std::get<1>(sort(y, true, -1, false))),
            (V{0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39, 1, 4, 7, 10, 13, 16,
               19, 22, 25, 28, 31, 34, 37, 2, 5, 8, 11, 14, 17, 20, 23, 26, 29, 32, 35, 38}));
  EXPECT_EQ(ints(argsort(y, 0, true)),
            (V{29, 20, 17, 23, 14, 26, 11, 8, 32, 5, 35, 2, 38, 31, 1, 34, 28, 25, 37, 22,
               16, 13, 4, 10, 19, 7, 30, 39, 0, 3, 36, 6, 33, 9, 12, 27, 15, 24, 18, 21}));
}

TEST(SortOps, SortDimsAndLayouts) {
  const Tensor m = make({3, 1, 2, 0, 5, 4}, {2, 3});
  auto [v, i] = m.sort(0, true);
  EXPECT_EQ(values(v), (V{3, 5, 4, 0, 1, 2}));
  EXPECT_EQ(ints(i), (V{0, 1, 1, 1, 0, 0}));
  // a transposed input sorts its logical rows
  EXPECT_EQ(values(std::get<0>(m.t().sort(-1))), (V{0, 3, 1, 5, 2, 4}));
  EXPECT_EQ(values(msort(m.t())), (V{1, 0, 2, 4, 3, 5}));
  // 0-dim and empty
  auto [s, si] = sort(scalar_tensor(3.0));
  EXPECT_EQ(s.dim(), 0);
  EXPECT_EQ(si.item<int64_t>(), 0);
  EXPECT_EQ(std::get<0>(sort(zeros({0}))).numel(), 0);
  EXPECT_EQ(values(std::get<0>(sort(vec({1, 0, 1}, DType::Bool)))), (V{0, 1, 1}));
  EXPECT_TRUE(test::throws_error([&] { sort(m, 2); }, ErrorKind::Index, "Dimension out of range"));
}

TEST(SortOps, SortOut) {
  const Tensor m = make({3, 1, 2, 0, 5, 4}, {2, 3});
  Tensor v = empty({0}), i = empty({0}, DType::Int64);
  sort_out(v, i, m, 1, false);
  EXPECT_EQ(values(v), (V{1, 2, 3, 0, 4, 5}));
  EXPECT_EQ(ints(i), (V{1, 2, 0, 0, 2, 1}));
  Tensor bad = empty({0}, DType::Float64);
  EXPECT_TRUE(test::throws_error([&] { sort_out(bad, i, m, 1, false); }, ErrorKind::Runtime,
                                 "Expected out tensor to have dtype float, but got double instead"));
}

TEST(SortOps, Topk) {
  const Tensor y = mod_seq(40, 3);
  auto [v, i] = topk(y, 5);
  EXPECT_EQ(values(v), (V{2, 2, 2, 2, 2}));
  EXPECT_EQ(ints(i), (V{14, 8, 11, 26, 17}));
  EXPECT_EQ(ints(std::get<1>(y.topk(30, 0, false, true))),
            (V{0, 21, 18, 24, 15, 27, 12, 30, 9, 6, 36, 3, 39, 33, 22, 13, 7, 4, 16, 10,
               19, 1, 25, 37, 28, 34, 31, 8, 2, 38}));
  // k * 64 <= n: partial_sort; NaN is the largest
  Tensor z = mod_seq(130, 4);
  z = z.index_put({vec({7}, DType::Int64)}, vec({kNaN}));
  EXPECT_EQ(ints(std::get<1>(topk(z, 2))), (V{7, 3}));
  EXPECT_EQ(ints(std::get<1>(topk(z, 2, 0, false))), (V{4, 0}));
  // 0-dim: returned as is for k = 0 and 1
  EXPECT_EQ(std::get<0>(topk(scalar_tensor(3.0), 0)).item<float>(), 3.0f);
  EXPECT_EQ(test::shape(std::get<0>(topk(zeros({2, 0}), 0, 0))), (std::vector<int64_t>{0, 0}));
  EXPECT_TRUE(test::throws_error([&] { topk(vec({2}), 2); }, ErrorKind::Runtime, "selected index k out of range"));
  EXPECT_TRUE(test::throws_error([&] { topk(vec({1, 0}, DType::Bool), 1); }, ErrorKind::NotImplemented,
                                 "\"topk_cpu\" not implemented for 'Bool'"));
}

TEST(SortOps, Kthvalue) {
  auto [v, i] = kthvalue(mod_seq(40, 3), 20);
  EXPECT_EQ(v.item<float>(), 1.0f);
  EXPECT_EQ(i.item<int64_t>(), 25);
  auto [vn, in] = kthvalue(vec({1, kNaN, 0}), 3);
  EXPECT_TRUE(std::isnan(vn.item<float>()));
  EXPECT_EQ(in.item<int64_t>(), 1);
  auto [vk, ik] = make({3, 1, 2, 0, 5, 4}, {2, 3}).kthvalue(2, 1, true);
  EXPECT_EQ(test::shape(vk), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(values(vk), (V{2, 4}));
  EXPECT_EQ(ints(ik), (V{2, 2}));
  EXPECT_TRUE(test::throws_error([&] { kthvalue(vec({1, 2}), 3); }, ErrorKind::Runtime,
                                 "kthvalue(): selected number k out of range for dimension 0"));
  EXPECT_TRUE(test::throws_error([&] { kthvalue(zeros({0}), 1); }, ErrorKind::Index,
                                 "kthvalue(): Expected reduction dim 0 to have non-zero size."));
}

TEST(SortOps, SearchsortedBucketize) {
  const Tensor bd = vec({1, 2, 2, 3}), x = make({2, 0.5, 3.5, kNaN}, {2, 2});
  EXPECT_EQ(ints(searchsorted(bd, x)), (V{1, 0, 4, 4}));
  Tensor r = searchsorted(bd, x, true, false, "right");
  EXPECT_EQ(r.dtype(), DType::Int32);
  EXPECT_EQ(ints(r), (V{3, 0, 4, 4}));
  EXPECT_EQ(ints(searchsorted(make({1, 3, 5, 2, 4, 6}, {2, 3}, DType::Int64), make({4, 4}, {2, 1}, DType::Int64))),
            (V{2, 1}));
  EXPECT_EQ(ints(searchsorted(vec({3, 1, 2}), vec({2.5, 0}), false, false, std::nullopt, vec({1, 2, 0}, DType::Int64))),
            (V{2, 0}));
  EXPECT_EQ(ints(bucketize(vec({1, 5, 9}, DType::Int64), vec({1, 5.5, 9}), false, true)), (V{1, 1, 3}));
  EXPECT_EQ(searchsorted(vec({1, 2}, DType::Int64), Scalar(1.5)).item<int64_t>(), 1);
  EXPECT_TRUE(test::throws_error([&] { searchsorted(bd, x, false, true, "left"); }, ErrorKind::Runtime,
                                 "side and right can't be set to opposites"));
  EXPECT_TRUE(test::throws_error([&] { bucketize(x, make({1, 2}, {1, 2})); }, ErrorKind::Runtime,
                                 "boundaries tensor must be 1 dimension, but got dim(2)"));
}

TEST(SortOps, Unique) {
  const Tensor x = vec({3, 1, 2, 1, 3, 7, 5, 4}, DType::Int64);
  auto [u, inv, cnt] = _unique2(x, false, true, true);
  EXPECT_EQ(ints(u), (V{4, 5, 7, 2, 1, 3}));  // the hash set's order, as libtorch
  EXPECT_EQ(ints(inv), (V{5, 4, 3, 4, 5, 2, 1, 0}));
  EXPECT_EQ(ints(cnt), (V{1, 1, 1, 1, 2, 2}));
  auto [us, invs, cnts] = _unique2(x, true, true, true);
  EXPECT_EQ(ints(us), (V{1, 2, 3, 4, 5, 7}));
  EXPECT_EQ(ints(invs), (V{2, 0, 1, 0, 2, 5, 4, 3}));
  EXPECT_EQ(ints(cnts), (V{2, 1, 2, 1, 1, 1}));
  auto [c, ci, cc] = unique_consecutive(vec({1, 1, 2, 2, 2, 1, 3}, DType::Int64), true, true);
  EXPECT_EQ(ints(c), (V{1, 2, 1, 3}));
  EXPECT_EQ(ints(ci), (V{0, 0, 1, 1, 1, 2, 3}));
  EXPECT_EQ(ints(cc), (V{2, 3, 1, 1}));
}

TEST(SortOps, NodeNamesAndGradients) {
  Tensor x = test::rand_tensor({3, 5}).requires_grad_(true);
  EXPECT_EQ(std::get<0>(x.sort(1)).grad_fn_name(), "SortBackward0");
  EXPECT_EQ(std::get<0>(x.topk(2)).grad_fn_name(), "TopkBackward0");
  EXPECT_EQ(std::get<0>(x.kthvalue(2)).grad_fn_name(), "KthvalueBackward0");
  EXPECT_EQ(x.msort().grad_fn_name(), "SortBackward0");
  using autograd::gradcheck;
  using autograd::gradgradcheck;
  std::vector<std::pair<const char*, autograd::DiffFn>> fns = {
      {"sort", [](const std::vector<Tensor>& v) { return std::vector<Tensor>{std::get<0>(v[0].sort(0, true))}; }},
      {"topk", [](const std::vector<Tensor>& v) { return std::vector<Tensor>{std::get<0>(v[0].topk(3, 1, false))}; }},
      {"kthvalue", [](const std::vector<Tensor>& v) { return std::vector<Tensor>{std::get<0>(v[0].kthvalue(2, 0))}; }},
      {"kthvalue_keep", [](const std::vector<Tensor>& v) { return std::vector<Tensor>{std::get<0>(v[0].kthvalue(4, 1, true))}; }},
  };
  for (auto& [name, f] : fns) {
    Tensor a = test::rand_tensor({3, 5}, DType::Float64, 7).requires_grad_(true);
    auto r1 = gradcheck(f, {a});
    EXPECT_TRUE(r1.ok) << name << ": " << r1.message;
    auto r2 = gradgradcheck(f, {a});
    EXPECT_TRUE(r2.ok) << name << ": " << r2.message;
  }
}

TEST(SortOps, ThreadCountDoesNotChangeResults) {
  const Tensor big = test::rand_tensor({64, 300}, DType::Float32, 3).mul(4).floor();  // many ties
  const int before = get_num_threads();
  set_num_threads(1);
  auto [v1, i1] = sort(big, 1);
  auto [t1, ti1] = topk(big, 7, 1);
  set_num_threads(2);
  auto [v2, i2] = sort(big, 1);
  auto [t2, ti2] = topk(big, 7, 1);
  set_num_threads(before);
  EXPECT_EQ(values(i1), values(i2));
  EXPECT_EQ(values(ti1), values(ti2));
}

}  // namespace sort_ops_test
}  // namespace ft
