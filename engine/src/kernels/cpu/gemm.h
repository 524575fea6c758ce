// GEMM/GEMV/dot entry points: OpenBLAS for float/double, plain loops for integers.
#pragma once

#include <cstdint>

#include "ft/scalar.h"
#include "ft/tensor.h"

namespace ft::kernels {

// out(M,N) = a(M,K) @ b(K,N); all three 2-D with any strides, same dtype.
// `out` must not overlap a or b.
void gemm(const Tensor& out, const Tensor& a, const Tensor& b);

// out = alpha * (a @ b) + beta * out, for 2-D operands (M,K) @ (K,N) or a
// batch of them (B,M,K) @ (B,K,N) (a and b may then have batch stride 0).
// beta == 0 means out's old contents are not read (NaN/inf there do not
// propagate: BLAS's rule, which PyTorch keeps). Integer dtypes wrap around.
// alpha and beta are converted to the dtype first (0.5 -> 0 for integers).
// Integers always take a plain loop; floats take BLAS unless `path` says
// Loop (ATen's kernel for small bmm/baddbmm) or LoopReadingOut (the same,
// but out * beta is computed even for beta == 0, so NaN in out propagates:
// ATen 1.13's small in-place baddbmm_).
enum class GemmPath { Blas, Loop, LoopReadingOut };
void gemm(const Tensor& out, const Tensor& a, const Tensor& b, const Scalar& alpha, const Scalar& beta,
          GemmPath path = GemmPath::Blas);

// out(M) = alpha * (mat(M,K) @ vec(K)) + beta * out; beta == 0: out not read.
void gemv(const Tensor& out, const Tensor& mat, const Tensor& vec, const Scalar& alpha, const Scalar& beta);

// a(n) . b(n) into the 0-dim out (same dtype, BLAS sdot/ddot for floats).
void dot(const Tensor& out, const Tensor& a, const Tensor& b);

}  // namespace ft::kernels
