// Functional API of the linear-algebra op family (included by ft/ops.h):
// batched and scaled products (bmm, baddbmm, addbmm, addmm), matrix-vector
// and vector products (mv, addmv, dot, vdot, addr, outer/ger, inner), trace,
// kron, tensordot and einsum. mm and matmul are declared in ft/ops.h.
//
// Names, argument orders, defaults, dtype rules and error messages follow
// ATen 1.13 (see NOTE [ One call for both sides ] in ft/ops.def). The add*
// products compute beta * self + alpha * product; with beta == 0 self's values
// are not read (NaN/inf in self do not propagate), alpha and beta are
// converted to the result dtype (0.5 -> 0 for integer results).
// outer/ger, inner, kron, tensordot and einsum are composites of other
// differentiable ops, as in PyTorch (their grad_fns are those ops' nodes).
#pragma once

#include <string_view>
#include <vector>

namespace ft {

// ---- batched and scaled products
Tensor bmm(const Tensor& self, const Tensor& mat2);
Tensor& bmm_out(Tensor& out, const Tensor& self, const Tensor& mat2);
Tensor addmm(const Tensor& self, const Tensor& mat1, const Tensor& mat2, const Scalar& beta = 1,
             const Scalar& alpha = 1);
Tensor& addmm_out(Tensor& out, const Tensor& self, const Tensor& mat1, const Tensor& mat2, const Scalar& beta = 1,
                  const Scalar& alpha = 1);
Tensor baddbmm(const Tensor& self, const Tensor& batch1, const Tensor& batch2, const Scalar& beta = 1,
               const Scalar& alpha = 1);
Tensor& baddbmm_out(Tensor& out, const Tensor& self, const Tensor& batch1, const Tensor& batch2, const Scalar& beta = 1,
                    const Scalar& alpha = 1);
Tensor addbmm(const Tensor& self, const Tensor& batch1, const Tensor& batch2, const Scalar& beta = 1,
              const Scalar& alpha = 1);
Tensor& addbmm_out(Tensor& out, const Tensor& self, const Tensor& batch1, const Tensor& batch2, const Scalar& beta = 1,
                   const Scalar& alpha = 1);

// ---- matrix-vector and vector products
Tensor mv(const Tensor& self, const Tensor& vec);
Tensor& mv_out(Tensor& out, const Tensor& self, const Tensor& vec);
Tensor addmv(const Tensor& self, const Tensor& mat, const Tensor& vec, const Scalar& beta = 1, const Scalar& alpha = 1);
Tensor& addmv_out(Tensor& out, const Tensor& self, const Tensor& mat, const Tensor& vec, const Scalar& beta = 1,
                  const Scalar& alpha = 1);
Tensor dot(const Tensor& self, const Tensor& other);
Tensor& dot_out(Tensor& out, const Tensor& self, const Tensor& other);
Tensor vdot(const Tensor& self, const Tensor& other);  // real dtypes: dot, with its own grad_fn name
Tensor& vdot_out(Tensor& out, const Tensor& self, const Tensor& other);
// beta * self + alpha * outer(vec1, vec2), promoting over the three tensors.
Tensor addr(const Tensor& self, const Tensor& vec1, const Tensor& vec2, const Scalar& beta = 1,
            const Scalar& alpha = 1);
Tensor& addr_out(Tensor& out, const Tensor& self, const Tensor& vec1, const Tensor& vec2, const Scalar& beta = 1,
                 const Scalar& alpha = 1);
Tensor outer(const Tensor& self, const Tensor& vec2);
Tensor& outer_out(Tensor& out, const Tensor& self, const Tensor& vec2);
Tensor ger(const Tensor& self, const Tensor& vec2);  // alias of outer
Tensor& ger_out(Tensor& out, const Tensor& self, const Tensor& vec2);
Tensor inner(const Tensor& self, const Tensor& other);
Tensor& inner_out(Tensor& out, const Tensor& self, const Tensor& other);
// Sum of the main diagonal of a matrix (integers: int64 result).
Tensor trace(const Tensor& self);

// ---- contractions
Tensor kron(const Tensor& self, const Tensor& other);
Tensor& kron_out(Tensor& out, const Tensor& self, const Tensor& other);
// Contracts dims_self[i] of self with dims_other[i] of other.
Tensor tensordot(const Tensor& self, const Tensor& other, IntArrayRef dims_self, IntArrayRef dims_other);
Tensor& tensordot_out(Tensor& out, const Tensor& self, const Tensor& other, IntArrayRef dims_self,
                      IntArrayRef dims_other);
// torch.tensordot(a, b, dims=n): the last n dims of a with the first n of b.
Tensor tensordot(const Tensor& self, const Tensor& other, int64_t dims);
// Einstein summation over 1 or more operands ("ij,jk->ik", "...ii->...i",
// implicit output when "->" is absent), as torch.einsum without a path.
Tensor einsum(std::string_view equation, const std::vector<Tensor>& tensors);

}  // namespace ft
