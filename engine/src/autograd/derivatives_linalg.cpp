// Backward formulas of the linear-algebra ops (mm, matmul and the linalg
// family), each next to the function that records its node. Formulas follow
// PyTorch's derivatives.yaml and are written with engine ops (mm, bmm, mv,
// outer, mul), so with create_graph they are recorded too (double backward).
#include "../ops/linalg_internal.h"
#include "formula.h"

namespace ft::autograd {
namespace {

// A 2-D operand stored column-major (a transposed contiguous matrix, as
// Linear's weight.t()).
bool column_major(const Tensor& m) { return m.stride(0) == 1 && m.stride(1) == m.size(0); }

// PyTorch's mm_mat1_backward / mm_mat2_backward: d(m1 @ m2) = g m2^T and
// m1^T g, computed as (m2 g^T)^T and (g^T m1)^T when the operand was
// column-major, so its gradient comes out in its own layout (Linear's weight
// gradient is contiguous) and the GEMMs are the ones libtorch runs.
Tensor mm_mat1_backward(const Tensor& g, const Tensor& m1, const Tensor& m2) {
  return column_major(m1) ? m2.mm(g.t()).t() : g.mm(m2.t());
}
Tensor mm_mat2_backward(const Tensor& g, const Tensor& m1, const Tensor& m2) {
  return column_major(m2) ? g.t().mm(m1).t() : m1.t().mm(g);
}

// PyTorch's maybe_multiply: t * s, skipped when s is 1.
Tensor maybe_multiply(const Tensor& t, const Scalar& s) {
  const bool one = s.is_floating_point() ? s.to_double() == 1.0 : s.is_integral() && s.to_int() == 1;
  return one ? t : t * s;
}

}  // namespace

// ---- linear algebra ---------------------------------------------------------------
// C = A B: dA = dC B^T, dB = A^T dC
void record_mm(const Tensor& a, const Tensor& b, Tensor& out) {
  auto n = make_node(
      "MmBackward0",
      [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
        Tensor a = n.saved_at(0), b = n.saved_at(1);
        return {n.needs(0) ? mm_mat1_backward(g, a, b) : Tensor(), n.needs(1) ? mm_mat2_backward(g, a, b) : Tensor()};
      },
      {&a, &b});
  if (!n) return;
  n->saved = {SavedTensor(a, false), SavedTensor(b, false)};
  set_history(out, n);
}

// matmul: promote 1-D operands to matrices, then dA = dC B^T and dB = A^T dC
// summed over broadcast batch dims, then back to the operands' shapes.
void record_matmul(const Tensor& a, const Tensor& b, Tensor& out) {
  auto n = make_node(
      "MatmulBackward0",  // PyTorch decomposes matmul; the name is ours
      [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
        Tensor A = n.saved_at(0), B = n.saved_at(1);
        const int64_t da = A.dim(), db = B.dim();
        if (da == 1 && db == 1) return {n.needs(0) ? g * B : Tensor(), n.needs(1) ? g * A : Tensor()};
        Tensor A2 = da == 1 ? A.unsqueeze(0) : A;
        Tensor B2 = db == 1 ? B.unsqueeze(1) : B;
        Tensor G = g;
        if (da == 1) G = G.unsqueeze(-2);
        if (db == 1) G = G.unsqueeze(-1);
        Tensor ga, gb;
        if (da == 2 && db == 2)  // matmul is mm here (as in libtorch)
          return {n.needs(0) ? mm_mat1_backward(g, A, B) : Tensor(), n.needs(1) ? mm_mat2_backward(g, A, B) : Tensor()};
        if (n.needs(0)) ga = sum_to(G.matmul(B2.transpose(-1, -2)), A2.sizes()).reshape(A.sizes());
        if (n.needs(1) && db == 2 && da > 2) {
          // libtorch folds (..., k) @ (k, m) into one mm over the flattened rows.
          int64_t rows = 1;  // explicit: a -1 is ambiguous when k or m is 0
          for (int64_t d = 0; d < da - 1; ++d) rows *= A.size(d);
          gb = mm_mat2_backward(G.reshape({rows, G.size(-1)}), A.reshape({rows, A.size(-1)}), B);
        } else if (n.needs(1)) {
          gb = sum_to(A2.transpose(-1, -2).matmul(G), B2.sizes()).reshape(B.sizes());
        }
        return {ga, gb};
      },
      {&a, &b});
  if (!n) return;
  n->saved = {SavedTensor(a, false), SavedTensor(b, false)};
  set_history(out, n);
}

// ---- bmm / add* products ---------------------------------------------------------------
// C = A B per batch: dA = dC B^T, dB = A^T dC
void record_bmm(const Tensor& a, const Tensor& b, Tensor& out) {
  auto n = make_node(
      "BmmBackward0",
      [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
        Tensor a = n.saved_at(0), b = n.saved_at(1);
        return {n.needs(0) ? g.bmm(b.transpose(1, 2)) : Tensor(), n.needs(1) ? a.transpose(1, 2).bmm(g) : Tensor()};
      },
      {&a, &b});
  if (!n) return;
  n->saved = {SavedTensor(a, false), SavedTensor(b, false)};
  set_history(out, n);
}

// out = beta * self + alpha * P(m1, m2): d/dself = beta (the engine sums a
// broadcast self's gradient down to its shape), and alpha times P's
// derivatives:
//   addmm   P = m1 m2          dm1 = g m2^T,            dm2 = m1^T g
//   baddbmm P = m1 m2 (batch)  dm1 = g bmm m2^T,        dm2 = m1^T bmm g
//   addbmm  P = sum_b m1 m2    the same with g expanded over the batch
//   addmv   P = mat vec        dmat = outer(g, vec),    dvec = mat^T g
//   addr    P = outer(v1, v2)  dv1 = g v2,              dv2 = g^T v1
void record_add_product(AddProduct k, const Tensor& self, const Tensor& m1, const Tensor& m2, const Scalar& beta,
                        const Scalar& alpha, Tensor& out) {
  static constexpr const char* names[] = {"AddmmBackward0", "BaddbmmBackward0", "AddbmmBackward0", "AddmvBackward0",
                                          "AddrBackward0"};
  auto n = make_node(names[int(k)],
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       const Tensor a = n.saved_at(0), b = n.saved_at(1);
                       const Scalar& alpha = n.alpha;
                       Tensor gs = n.needs(0) ? maybe_multiply(g, n.scalar) : Tensor(), ga, gb;
                       switch (AddProduct(n.dim)) {
                         case AddProduct::Addmm:
                           if (n.needs(1)) ga = maybe_multiply(mm_mat1_backward(g, a, b), alpha);
                           if (n.needs(2)) gb = maybe_multiply(mm_mat2_backward(g, a, b), alpha);
                           break;
                         case AddProduct::Baddbmm:
                         case AddProduct::Addbmm: {
                           Tensor G = AddProduct(n.dim) == AddProduct::Baddbmm
                                          ? g
                                          : g.unsqueeze(0).expand({a.size(0), a.size(1), b.size(2)});
                           if (n.needs(1)) ga = maybe_multiply(G.bmm(b.transpose(1, 2)), alpha);
                           if (n.needs(2)) gb = maybe_multiply(a.transpose(1, 2).bmm(G), alpha);
                           break;
                         }
                         case AddProduct::Addmv:
                           if (n.needs(1)) ga = maybe_multiply(g.outer(b), alpha);
                           if (n.needs(2)) gb = maybe_multiply(a.t().mv(g), alpha);
                           break;
                         case AddProduct::Addr:
                           if (n.needs(1)) ga = maybe_multiply(g.mv(b), alpha);
                           if (n.needs(2)) gb = maybe_multiply(g.t().mv(a), alpha);
                           break;
                       }
                       return {gs, ga, gb};
                     },
                     {&self, &m1, &m2});
  if (!n) return;
  n->dim = int64_t(k);
  n->scalar = beta;
  n->alpha = alpha;
  n->saved = {SavedTensor(m1, false), SavedTensor(m2, false)};
  set_history(out, n);
}

// ---- mv / dot / trace ---------------------------------------------------------------------
// y = M v: dM = outer(g, v), dv = M^T g
void record_mv(const Tensor& mat, const Tensor& vec, Tensor& out) {
  auto n = make_node("MvBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       Tensor m = n.saved_at(0), v = n.saved_at(1);
                       return {n.needs(0) ? g.outer(v) : Tensor(), n.needs(1) ? m.t().mv(g) : Tensor()};
                     },
                     {&mat, &vec});
  if (!n) return;
  n->saved = {SavedTensor(mat, false), SavedTensor(vec, false)};
  set_history(out, n);
}

// s = a . b: da = g b, db = g a (vdot: the same for real dtypes)
void record_dot(const Tensor& a, const Tensor& b, bool vdot, Tensor& out) {
  auto n = make_node(vdot ? "VdotBackward0" : "DotBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       Tensor a = n.saved_at(0), b = n.saved_at(1);
                       return {n.needs(0) ? g * b : Tensor(), n.needs(1) ? g * a : Tensor()};
                     },
                     {&a, &b});
  if (!n) return;
  n->saved = {SavedTensor(a, false), SavedTensor(b, false)};
  set_history(out, n);
}

// t = sum_i x_ii: dx = g on the main diagonal, 0 elsewhere, written as g
// times a mask so that it is differentiable in g. The mask is PyTorch 1.13's
// trace_backward: flat positions 0, m+1, 2(m+1), ... of the (n, m) input,
// all of them below n*m (for n > m that marks entries off the diagonal too,
// e.g. (2, 0) of a (4, 1) input: libtorch's gradient, reproduced).
void record_trace(const Tensor& self, Tensor& out) {
  auto n = make_node("TraceBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       const int64_t rows = n.ints[0], cols = n.ints[1], numel = rows * cols;
                       Tensor mask;
                       {
                         NoGradGuard ng;
                         mask = zeros({numel}, g.dtype());
                         if (numel > 0) mask.slice(0, 0, numel, cols + 1).fill_(1);
                       }
                       return {mask.view({rows, cols}) * g};
                     },
                     {&self});
  if (!n) return;
  n->ints = {self.size(0), self.size(1)};
  set_history(out, n);
}

}  // namespace ft::autograd
