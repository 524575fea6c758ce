// out= variants: an empty out is resized (taking the layout a fresh result
// would have), a same-shape out keeps its strides and storage, the result
// must be castable to out's dtype, and reductions compute in out's dtype.
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

TEST(OutVariants, EmptyOutIsResized) {
  Tensor out = empty({0});
  Tensor& r = add_out(out, iota({2, 3}), ones({2, 3}));
  EXPECT_TRUE(r.is_same(out));
  EXPECT_EQ(shape(out), (S{2, 3}));
  EXPECT_EQ(strides_of(out), (S{3, 1}));
  EXPECT_EQ(values(out), (V{1, 2, 3, 4, 5, 6}));
}

TEST(OutVariants, ResizedOutFollowsPermutedInput) {
  Tensor x = iota({3, 2}).t();  // (2, 3), strides (1, 2)
  Tensor out = empty({0});
  exp_out(out, x);
  EXPECT_EQ(shape(out), (S{2, 3}));
  EXPECT_EQ(strides_of(out), (S{1, 2}));
  EXPECT_TRUE(test::all_close(values(out), values(x.exp())));
}

TEST(OutVariants, WrongShapeOutIsResizedContiguous) {
  Tensor out = empty({5});
  mul_out(out, iota({2, 3}), iota({2, 3}));
  EXPECT_EQ(shape(out), (S{2, 3}));
  EXPECT_EQ(strides_of(out), (S{3, 1}));
  EXPECT_EQ(values(out), (V{0, 1, 4, 9, 16, 25}));
}

TEST(OutVariants, SameShapeNonContiguousOutKeepsStrides) {
  Tensor base = zeros({3, 2});
  Tensor out = base.t();  // (2, 3), strides (1, 2)
  void* p = out.data_ptr();
  sub_out(out, iota({2, 3}), ones({2, 3}));
  EXPECT_EQ(strides_of(out), (S{1, 2}));
  EXPECT_EQ(out.data_ptr(), p);
  EXPECT_TRUE(same_storage(out, base));
  EXPECT_EQ(values(out), (V{-1, 0, 1, 2, 3, 4}));
  EXPECT_EQ(values(base), (V{-1, 2, 0, 3, 1, 4}));
  // mm into a transposed out.
  Tensor mo = empty({3, 2}).t();
  mm_out(mo, ones({2, 3}), ones({3, 3}));
  EXPECT_EQ(strides_of(mo), (S{1, 2}));
  EXPECT_EQ(values(mo), V(6, 3.0));
}

TEST(OutVariants, CastIntoWiderOut) {
  Tensor out = empty({2, 3}, DType::Float64);
  add_out(out, ones({2, 3}, DType::Int32), ones({2, 3}, DType::Int32));
  EXPECT_EQ(out.dtype(), DType::Float64);
  EXPECT_EQ(values(out), V(6, 2.0));
  Tensor lo = empty({2}, DType::Int64);
  neg_out(lo, test::vec({3, -4}, DType::Int8));
  EXPECT_EQ(values(lo), (V{-3, 4}));
}

TEST(OutVariants, CastCheck) {
  Tensor oi = empty({2}, DType::Int32);
  FT_EXPECT_ERROR(div_out(oi, ones({2}, DType::Int32), ones({2}, DType::Int32)), ErrorKind::Runtime,
                  "result type Float can't be cast to the desired output type Int");
  Tensor ob = empty({2}, DType::Bool);
  FT_EXPECT_ERROR(add_out(ob, ones({2}, DType::Int64), ones({2}, DType::Int64)), ErrorKind::Runtime,
                  "result type Long can't be cast to the desired output type Bool");
  Tensor ol = empty({2}, DType::Int64);
  FT_EXPECT_ERROR(log_out(ol, ones({2})), ErrorKind::Runtime,
                  "result type Float can't be cast to the desired output type Long");
  EXPECT_EQ(oi._version(), 0u);
}

TEST(OutVariants, Reductions) {
  Tensor o = empty({0}, DType::Int64);
  sum_out(o, ones({2, 3}), {1});
  EXPECT_EQ(o.dtype(), DType::Int64);
  EXPECT_EQ(values(o), (V{3, 3}));
  Tensor f = empty({0});
  sum_out(f, ones({2, 3}, DType::Int32), {1});
  EXPECT_EQ(values(f), (V{3, 3}));
  // int32 out: the sum is computed (and wraps) in int32.
  Tensor w = empty({0}, DType::Int32);
  Tensor big = test::vec({0, 1}, DType::Int32);
  big.select(0, 0).fill_(2147483647);
  sum_out(w, big, {0});
  EXPECT_EQ(w.dim(), 0);
  EXPECT_EQ(w.item<int64_t>(), -2147483648LL);
  Tensor m = empty({0});
  mean_out(m, iota({2, 3}), {1}, /*keepdim=*/true);
  EXPECT_EQ(shape(m), (S{2, 1}));
  EXPECT_EQ(values(m), (V{1, 4}));
}

TEST(OutVariants, Linalg) {
  Tensor o = empty({0});
  mm_out(o, ones({2, 3}), ones({3, 4}));
  EXPECT_EQ(shape(o), (S{2, 4}));
  EXPECT_EQ(values(o), V(8, 3.0));
  Tensor mo = empty({0});
  matmul_out(mo, ones({2, 3, 4}), ones({4}));
  EXPECT_EQ(shape(mo), (S{2, 3}));
  EXPECT_EQ(values(mo), V(6, 4.0));
}

TEST(OutVariants, OutRejectsInputsRequiringGrad) {
  Tensor x = ones({2});
  x.requires_grad_(true);
  Tensor o = empty({2});
  FT_EXPECT_ERROR(mul_out(o, x, x), ErrorKind::Runtime,
                  "mul(): functions with out=... arguments don't support automatic differentiation");
  // Under no_grad it is allowed.
  autograd::NoGradGuard ng;
  mul_out(o, x, x);
  EXPECT_EQ(values(o), (V{1, 1}));
}

}  // namespace
}  // namespace ft
