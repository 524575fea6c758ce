// The linear-algebra family beyond mm/matmul (bmm, baddbmm, addbmm, addmm,
// mv, addmv, dot, vdot, addr, outer, inner, trace, kron, tensordot, einsum):
// values against naive references and known PyTorch 1.13 results, the beta
// == 0 rule, integer scalars, error messages, grad_fn names, and first and
// second derivatives by finite differences.
#include <gtest/gtest.h>

#include "ft/gradcheck.h"
#include "test_util.h"

namespace ft {
namespace {

using test::shape;
using test::values;
using V = std::vector<double>;
using S = std::vector<int64_t>;

Tensor r64(IntArrayRef s, uint64_t seed) { return test::rand_tensor(s, DType::Float64, seed); }

TEST(LinalgExtras, BmmAndBaddbmmAgainstNaive) {
  Tensor a = r64({3, 4, 5}, 1), b = r64({3, 5, 2}, 2), c = r64({3, 4, 2}, 3);
  S s;
  V want = test::naive_bmm(values(a), {3, 4, 5}, values(b), {3, 5, 2}, &s);
  EXPECT_TRUE(test::all_close(values(bmm(a, b)), want, 1e-12, 1e-12));
  // Transposed and expanded operands take the same path.
  Tensor bt = b.transpose(1, 2).contiguous().transpose(1, 2);
  EXPECT_TRUE(test::all_close(values(a.bmm(bt)), want, 1e-12, 1e-12));
  V want2 = values(c);
  for (size_t i = 0; i < want2.size(); ++i) want2[i] = 0.5 * want2[i] - 2.0 * want[i];
  EXPECT_TRUE(test::all_close(values(baddbmm(c, a, b, 0.5, -2.0)), want2, 1e-12, 1e-12));
  // addbmm sums the batch.
  Tensor sum = bmm(a, b).sum({0});
  EXPECT_TRUE(test::tensor_close(addbmm(zeros({4, 2}, DType::Float64), a, b), sum, 1e-12, 1e-12));
  EXPECT_TRUE(test::tensor_close(addmm(c.select(0, 0), a.select(0, 0), b.select(0, 0), 1, 1),
                                 c.select(0, 0) + a.select(0, 0).mm(b.select(0, 0)), 1e-12, 1e-12));
}

TEST(LinalgExtras, BetaZeroIgnoresSelf) {
  const double nan = std::nan("");
  Tensor m = test::make({1, 1, 1, 1, 1, 1}, {3, 2}), n = test::make({1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, {2, 5});
  EXPECT_EQ(values(addmm(full({3, 5}, nan), m, n, 0)), V(15, 2.0));
  EXPECT_EQ(values(addmm(full({3, 5}, nan), m.narrow(1, 0, 0), n.narrow(0, 0, 0), 0)), V(15, 0.0));
  EXPECT_EQ(values(addmv(full({3}, nan), m, test::vec({1, 1}), 0)), V(3, 2.0));
  EXPECT_EQ(values(addr(full({3, 5}, nan), test::vec({1, 1, 1}), test::vec({1, 1, 1, 1, 1}), 0)), V(15, 1.0));
  Tensor b1 = ones({2, 3, 2}), b2 = ones({2, 2, 5});
  EXPECT_EQ(values(baddbmm(full({2, 3, 5}, nan), b1, b2, 0)), V(30, 2.0));
  EXPECT_EQ(values(addbmm(full({3, 5}, nan), b1, b2, 0)), V(15, 4.0));
}

TEST(LinalgExtras, IntegerScalarsTruncate) {
  auto i = [](IntArrayRef s) { return full(s, 3, DType::Int64); };
  // As libtorch: beta 1.5 -> 1, alpha 2.7 -> 2 on an int64 result.
  EXPECT_EQ(values(addmm(i({3, 5}), i({3, 2}), i({2, 5}), 1.5, 2.7)), V(15, 39));
  EXPECT_EQ(values(addmm(i({3, 5}), i({3, 2}), i({2, 5}), 0.5)), V(15, 18));
  EXPECT_EQ(values(addmv(i({3}), i({3, 0}), i({0}), 0.5)), V(3, 0));
  FT_EXPECT_ERROR(addmm(i({3, 5}), i({3, 0}), i({0, 5}), 0.5), ErrorKind::Runtime, "can't be cast");
  FT_EXPECT_ERROR(addr(i({3, 5}), i({3}), i({5}), 0.5), ErrorKind::Runtime, "argument beta must not be a floating");
  EXPECT_EQ(values(trace(full({3, 4}, 2, DType::Int32))), V{6});
  EXPECT_EQ(trace(full({3, 4}, 2, DType::Int32)).dtype(), DType::Int64);
  EXPECT_EQ(values(dot(i({4}), i({4}))), V{36});
}

TEST(LinalgExtras, ShapeAndDtypeErrors) {
  FT_EXPECT_ERROR(bmm(ones({3, 4}), ones({2, 4, 5})), ErrorKind::Runtime, "batch1 must be a 3D tensor");
  FT_EXPECT_ERROR(bmm(ones({2, 3, 4}), ones({3, 4, 5})), ErrorKind::Runtime,
                  "Expected size for first two dimensions of batch2 tensor to be: [2, 4] but got: [3, 4].");
  FT_EXPECT_ERROR(bmm(ones({2, 3, 4}), ones({2, 4, 5}, DType::Float64)), ErrorKind::Runtime,
                  "expected scalar type Float but found Double");
  EXPECT_EQ(bmm(ones({2, 3, 0}), ones({2, 0, 5}, DType::Float64)).dtype(), DType::Float64);  // trivial
  FT_EXPECT_ERROR(addmm(ones({3, 5}), ones({3, 4}), ones({5, 5})), ErrorKind::Runtime,
                  "mat1 and mat2 shapes cannot be multiplied (3x4 and 5x5)");
  FT_EXPECT_ERROR(addmm(ones({3, 5}, DType::Float64), ones({3, 4}), ones({4, 5})), ErrorKind::Runtime,
                  "self and mat2 must have the same dtype");
  FT_EXPECT_ERROR(addbmm(ones({3, 5}), ones({2, 3, 4}), ones({3, 4, 5})), ErrorKind::Runtime,
                  "batch1 and batch2 must have same number of batches, got 2 and 3");
  FT_EXPECT_ERROR(mv(ones({3, 4}), ones({5})), ErrorKind::Runtime, "size mismatch, got 3, 3x4,5");
  FT_EXPECT_ERROR(addmv(ones({3}), ones({3, 4, 1}), ones({4})), ErrorKind::Runtime,
                  "vector + matrix @ vector expected, got 1, 3, 1");
  FT_EXPECT_ERROR(dot(ones({3, 1}), ones({3})), ErrorKind::Runtime, "1D tensors expected, but got 2D and 1D tensors");
  FT_EXPECT_ERROR(dot(ones({3}), ones({3}, DType::Float64)), ErrorKind::Runtime,
                  "dot : expected both vectors to have same dtype, but found Float and Double");
  FT_EXPECT_ERROR(dot(ones({3}, DType::Bool), ones({3}, DType::Bool)), ErrorKind::NotImplemented, "\"dot\"");
  FT_EXPECT_ERROR(outer(ones({3, 1}), ones({4})), ErrorKind::Runtime, "outer: Expected 1-D argument self, but got 2-D");
  FT_EXPECT_ERROR(trace(ones({3})), ErrorKind::Runtime, "trace: expected a matrix, but got tensor with dim 1");
  FT_EXPECT_ERROR(inner(ones({3}), ones({4})), ErrorKind::Runtime, "inner() the last dimension must match");
  FT_EXPECT_ERROR(tensordot(ones({2, 3}), ones({3, 4}), {1}, {1}), ErrorKind::Runtime,
                  "contracted dimensions need to match, but first has size 3 in dim 1 and second has size 4 in dim 1");
  FT_EXPECT_ERROR(tensordot(ones({2, 3}), ones({3, 4}), -1), ErrorKind::Runtime, "tensordot expects dims >= 0");
  Tensor x = ones({5});  // broadcasts to the result (3, 5) but is not its shape
  FT_EXPECT_ERROR(x.addmm_(ones({3, 4}), ones({4, 5})), ErrorKind::Runtime, "Bad in-place call");
}

TEST(LinalgExtras, EinsumErrors) {
  Tensor a = ones({3}), m = ones({2, 3});
  FT_EXPECT_ERROR(einsum("..i", {a}), ErrorKind::Runtime, "that is not part of any ellipsis");
  FT_EXPECT_ERROR(einsum("i->ii", {a}), ErrorKind::Runtime, "output subscript i appears more than once");
  FT_EXPECT_ERROR(einsum("i->j", {a}), ErrorKind::Runtime, "does not appear in the equation for any input operand");
  FT_EXPECT_ERROR(einsum("ij", {a}), ErrorKind::Runtime, "the number of subscripts in the equation (2)");
  FT_EXPECT_ERROR(einsum("i,j", {a}), ErrorKind::Runtime, "fewer operands were provided");
  FT_EXPECT_ERROR(einsum("i", {a, a}), ErrorKind::Runtime, "more operands were provided");
  FT_EXPECT_ERROR(einsum("i1", {m}), ErrorKind::Runtime, "invalid subscript given at index 1");
  FT_EXPECT_ERROR(einsum("ii", {m}), ErrorKind::Runtime, "subscript i is repeated for operand 0");
  FT_EXPECT_ERROR(einsum("ij,jk", {m, ones({4, 4})}), ErrorKind::Runtime,
                  "subscript j has size 4 for operand 1 which does not broadcast with previously seen size 3");
}

TEST(LinalgExtras, EinsumMatchesComposites) {
  Tensor a = r64({2, 3}, 5), b = r64({3, 4}, 6), sq = r64({3, 3}, 7), ba = r64({2, 3, 4}, 8), bb = r64({2, 4, 2}, 9);
  EXPECT_TRUE(test::tensor_close(einsum("ij,jk->ik", {a, b}), a.mm(b), 1e-12, 1e-12));
  EXPECT_TRUE(test::tensor_close(einsum("ij,jk", {a, b}), a.mm(b), 1e-12, 1e-12));  // implicit
  EXPECT_TRUE(test::tensor_close(einsum(" i j , j k -> k i ", {a, b}), a.mm(b).t(), 1e-12, 1e-12));
  EXPECT_TRUE(test::tensor_close(einsum("ii->i", {sq}), sq.diagonal(), 0, 0));
  EXPECT_TRUE(test::tensor_close(einsum("ii", {sq}), trace(sq), 1e-12, 1e-12));
  EXPECT_TRUE(test::tensor_close(einsum("bij,bjk->bik", {ba, bb}), bmm(ba, bb), 1e-12, 1e-12));
  EXPECT_TRUE(test::tensor_close(einsum("...ij->...ji", {ba}), ba.transpose(-1, -2), 0, 0));
  EXPECT_TRUE(test::tensor_close(einsum("ij->", {a}), a.sum(), 1e-12, 1e-12));
  EXPECT_TRUE(test::tensor_close(einsum("i,j->ij", {a.select(0, 0), b.select(0, 0)}),
                                 outer(a.select(0, 0), b.select(0, 0)), 0, 0));
  EXPECT_TRUE(test::tensor_close(einsum("i,i", {b.select(0, 0), b.select(0, 1)}), dot(b.select(0, 0), b.select(0, 1)),
                                 1e-12, 1e-12));
  EXPECT_TRUE(
      test::tensor_close(einsum("ij,jk,kl->il", {a, b, r64({4, 2}, 10)}), a.mm(b).mm(r64({4, 2}, 10)), 1e-12, 1e-12));
  // Broadcast ellipsis dims and size-1 labels; uppercase labels sort first.
  EXPECT_EQ(shape(einsum("...ij,...jk", {ones({2, 1, 3, 3}), ones({5, 3, 3})})), (S{2, 5, 3, 3}));
  EXPECT_EQ(shape(einsum("bA", {ones({2, 3})})), (S{3, 2}));
  // Dtypes as libtorch: sums of integers are int64, products keep int32.
  EXPECT_EQ(einsum("ij->", {ones({2, 3}, DType::Int32)}).dtype(), DType::Int64);
  EXPECT_EQ(einsum("i,i->", {ones({3}, DType::Int32), ones({3}, DType::Int32)}).dtype(), DType::Int32);
  EXPECT_EQ(einsum("i,i", {ones({0}), ones({0}, DType::Float64)}).dtype(), DType::Float64);
}

TEST(LinalgExtras, TensordotKronTraceByHand) {
  Tensor a = test::iota({2, 3}), b = test::iota({3, 4});
  EXPECT_TRUE(test::tensor_close(tensordot(a, b, {1}, {0}), a.mm(b), 0, 0));
  EXPECT_TRUE(test::tensor_close(tensordot(a, b, 1), a.mm(b), 0, 0));
  EXPECT_EQ(shape(tensordot(a, b, 0)), (S{2, 3, 3, 4}));
  EXPECT_EQ(shape(tensordot(a, ones({1, 4}), {1}, {0})), (S{2, 4}));  // a size-1 dim broadcasts
  EXPECT_EQ(values(kron(test::make({1, 2}, {2}), test::make({1, 10, 100}, {3}))), (V{1, 10, 100, 2, 20, 200}));
  EXPECT_EQ(shape(kron(ones({2, 3}), ones({4}))), (S{2, 12}));
  EXPECT_EQ(values(trace(test::iota({3, 4}))), V{15});
  EXPECT_EQ(values(inner(test::iota({2, 3}), test::iota({3}))), (V{5, 14}));
  EXPECT_EQ(shape(inner(scalar_tensor(2.0), ones({4}))), (S{4}));
}

TEST(LinalgExtras, KronOfATransposedInputRaisesAsLibtorch) {
  // kron views its inputs as [2,1,1,1] and [1,2,1,1] and multiplies them; a
  // transposed [2,1] input makes TensorIterator lay the product out with
  // strides (1,2,4,2) (torch 1.13.1), which the final view cannot flatten,
  // so libtorch raises there. The engine lays pointwise outputs out the same way.
  Tensor a = zeros({1, 2}).t(), b = zeros({2, 1});
  Tensor m = a.view({2, 1, 1, 1}) * b.view({1, 2, 1, 1});
  EXPECT_EQ(m.strides().vec(), (S{1, 2, 4, 2}));
  FT_EXPECT_ERROR(kron(a, b), ErrorKind::Runtime, "view size is not compatible");
  EXPECT_EQ(shape(kron(zeros({2, 1}), b)), (S{4, 1}));  // strides (1, 1): no error
}

TEST(LinalgExtras, GradFnNames) {
  auto rg = [](IntArrayRef s) { return r64(s, 11).requires_grad_(true); };
  EXPECT_EQ(bmm(rg({2, 3, 4}), rg({2, 4, 5})).grad_fn()->name(), "BmmBackward0");
  EXPECT_EQ(addmm(rg({3, 5}), rg({3, 4}), rg({4, 5})).grad_fn()->name(), "AddmmBackward0");
  EXPECT_EQ(addmv(rg({3}), rg({3, 4}), rg({4})).grad_fn()->name(), "AddmvBackward0");
  EXPECT_EQ(addbmm(rg({3, 5}), rg({2, 3, 4}), rg({2, 4, 5})).grad_fn()->name(), "AddbmmBackward0");
  EXPECT_EQ(baddbmm(rg({2, 3, 5}), rg({2, 3, 4}), rg({2, 4, 5})).grad_fn()->name(), "BaddbmmBackward0");
  EXPECT_EQ(addr(rg({3, 5}), rg({3}), rg({5})).grad_fn()->name(), "AddrBackward0");
  EXPECT_EQ(dot(rg({3}), rg({3})).grad_fn()->name(), "DotBackward0");
  EXPECT_EQ(vdot(rg({3}), rg({3})).grad_fn()->name(), "VdotBackward0");
  EXPECT_EQ(mv(rg({3, 4}), rg({4})).grad_fn()->name(), "MvBackward0");
  EXPECT_EQ(trace(rg({3, 4})).grad_fn()->name(), "TraceBackward0");
  EXPECT_EQ(outer(rg({3}), rg({4})).grad_fn()->name(), "MulBackward0");
}

// First and second derivatives against finite differences.
TEST(LinalgExtras, Gradcheck) {
  using Fn = std::function<Tensor(const std::vector<Tensor>&)>;
  struct Case {
    const char* name;
    std::vector<S> shapes;
    Fn f;
  };
  const std::vector<Case> cases = {
      {"bmm", {{2, 3, 4}, {2, 4, 2}}, [](auto& x) { return bmm(x[0], x[1]); }},
      {"addmm", {{3, 1}, {3, 4}, {4, 2}}, [](auto& x) { return addmm(x[0], x[1], x[2], 0.5, -1.5); }},
      {"addmm_t", {{2}, {4, 3}, {4, 2}}, [](auto& x) { return addmm(x[0], x[1].t(), x[2]); }},
      {"baddbmm", {{3, 2}, {2, 3, 4}, {2, 4, 2}}, [](auto& x) { return baddbmm(x[0], x[1], x[2], 2, 0.25); }},
      {"addbmm", {{3, 2}, {2, 3, 4}, {2, 4, 2}}, [](auto& x) { return addbmm(x[0], x[1], x[2], -1, 2); }},
      {"addmv", {{1}, {3, 4}, {4}}, [](auto& x) { return addmv(x[0], x[1], x[2], 0.5, 2); }},
      {"addr", {{3, 2}, {3}, {2}}, [](auto& x) { return addr(x[0], x[1], x[2], 3, 0.5); }},
      {"mv", {{3, 4}, {4}}, [](auto& x) { return mv(x[0], x[1]); }},
      {"dot", {{4}, {4}}, [](auto& x) { return dot(x[0], x[1]); }},
      {"vdot", {{4}, {4}}, [](auto& x) { return vdot(x[0], x[1]); }},
      {"trace", {{3, 4}}, [](auto& x) { return trace(x[0]); }},
      {"outer", {{3}, {2}}, [](auto& x) { return outer(x[0], x[1]); }},
      {"inner", {{2, 3}, {4, 3}}, [](auto& x) { return inner(x[0], x[1]); }},
      {"kron", {{2, 2}, {3}}, [](auto& x) { return kron(x[0], x[1]); }},
      {"tensordot",
       {{2, 3, 4}, {4, 3}},
       [](auto& x) {
         return tensordot(x[0], x[1], {1, 2}, {1, 0});
       }},
      {"einsum",
       {{3, 3}, {3, 2}, {2}},
       [](auto& x) {
         return einsum("ii,ij,j->i", {x[0], x[1], x[2]});
       }},
      {"einsum_ell",
       {{2, 3, 4}, {4}},
       [](auto& x) {
         return einsum("...j,j->...", {x[0], x[1]});
       }},
  };
  uint64_t seed = 100;
  for (const Case& c : cases) {
    std::vector<Tensor> in;
    for (const S& s : c.shapes) in.push_back(r64(s, ++seed).requires_grad_(true));
    autograd::DiffFn f = [&](const std::vector<Tensor>& x) { return std::vector<Tensor>{c.f(x)}; };
    auto r1 = autograd::gradcheck(f, in);
    EXPECT_TRUE(r1.ok) << c.name << ": " << r1.message;
    auto r2 = autograd::gradgradcheck(f, in);
    EXPECT_TRUE(r2.ok) << c.name << ": " << r2.message;
  }
}

}  // namespace
}  // namespace ft
