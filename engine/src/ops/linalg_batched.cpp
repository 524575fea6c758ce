// Matrix products with scaling and batches: bmm, baddbmm, addbmm, addmm
// (beta * self + alpha * product), in their functional, method, in-place and
// out= forms. Checks, their order and messages follow ATen 1.13's meta
// functions; the arithmetic is one kernels::gemm call (OpenBLAS for floats).
#include "linalg_internal.h"

namespace ft {
namespace linalg {

void check_batch_ranks(const Tensor& b1, const Tensor& b2) {
  FT_CHECK(b1.dim() == 3, "batch1 must be a 3D tensor");
  FT_CHECK(b2.dim() == 3, "batch2 must be a 3D tensor");
}

// NOTE [ Small bmm ]
// ATen 1.13 computes bmm/baddbmm with a plain loop when k * m * n < 400 and
// with one BLAS GEMM per batch otherwise; the two differ in rounding and in
// the sign of zero results, so the engine switches at the same size.
bool small_bmm(int64_t M, int64_t N, int64_t K) { return K * M * N < 400; }

void check_bmm_batch2(const Tensor& b1, const Tensor& b2) {
  FT_CHECK(b2.size(0) == b1.size(0) && b2.size(1) == b1.size(2),
           "Expected size for first two dimensions of batch2 tensor to be: [", b1.size(0), ", ", b1.size(2),
           "] but got: [", b2.size(0), ", ", b2.size(1), "].");
}

Tensor bmm_compute(const Tensor& a, const Tensor& b) {
  check_batch_ranks(a, b);
  check_bmm_batch2(a, b);
  const int64_t bs = a.size(0), M = a.size(1), K = a.size(2), N = b.size(2);
  const bool trivial = bs * M * N == 0 || K == 0;
  const DType dt = product_dtype(a, b, trivial, true, "bmm");
  if (trivial) return zeros({bs, M, N}, dt);
  Tensor out = empty({bs, M, N}, dt);
  kernels::gemm(out, a, b, 1, 0, small_bmm(M, N, K) ? kernels::GemmPath::Loop : kernels::GemmPath::Blas);
  return out;
}

// The result of an add* product is typed like its second matrix operand
// (baddbmm) or like self (addmm, addbmm); `dt` is that dtype.
// in_place: self is the result (baddbmm_). ATen 1.13's small-problem loop
// then multiplies self by beta even when beta == 0, so NaN/inf in self
// propagate (out of place the result starts as zeros).
Tensor baddbmm_compute(const Tensor& self, const Tensor& a, const Tensor& b, const Scalar& beta, const Scalar& alpha,
                       bool in_place = false) {
  check_batch_ranks(a, b);
  const DimVector shape{a.size(0), a.size(1), b.size(2)};
  (void)self.expand(shape);  // ATen expands self before checking batch2
  check_bmm_batch2(a, b);
  const int64_t K = a.size(2);
  if (shape[0] * shape[1] * shape[2] == 0) return empty(shape, b.dtype());
  if (K == 0) return scaled_start(self, shape, b.dtype(), beta, true);
  const DType dt = product_dtype(a, b, false, true, "baddbmm");
  if (!small_bmm(shape[1], shape[2], K)) {
    Tensor out = scaled_start(self, shape, dt, beta, false);
    kernels::gemm(out, a, b, alpha, beta);
    return out;
  }
  Tensor out = in_place ? self.expand(shape).to(dt).clone() : scaled_start(self, shape, dt, beta, false);
  kernels::gemm(out, a, b, alpha, beta, in_place ? kernels::GemmPath::LoopReadingOut : kernels::GemmPath::Loop);
  return out;
}

void check_addmm_dtypes(const Tensor& self, const Tensor& m1, const Tensor& m2) {
  FT_CHECK(self.dtype() == m2.dtype(), "self and mat2 must have the same dtype");
  FT_CHECK(m1.dtype() == m2.dtype(), "mat1 and mat2 must have the same dtype");
}

Tensor addmm_compute(const Tensor& self, const Tensor& m1, const Tensor& m2, const Scalar& beta, const Scalar& alpha) {
  check_addmm_dtypes(self, m1, m2);
  FT_CHECK(m1.dim() == 2, "mat1 must be a matrix, got ", m1.dim(), "-D tensor");
  FT_CHECK(m2.dim() == 2, "mat2 must be a matrix, got ", m2.dim(), "-D tensor");
  FT_CHECK(m1.size(1) == m2.size(0), "mat1 and mat2 shapes cannot be multiplied (", m1.size(0), "x", m1.size(1),
           " and ", m2.size(0), "x", m2.size(1), ")");
  const DimVector shape{m1.size(0), m2.size(1)};
  (void)self.expand(shape);
  const DType dt = m2.dtype();
  if (shape[0] * shape[1] == 0) return empty(shape, dt);
  if (m1.size(1) == 0) return scaled_start(self, shape, dt, beta, true);
  FT_CHECK_KIND(ErrorKind::NotImplemented, dt != DType::Bool, "\"addmm_impl_cpu_\" not implemented for 'Bool'");
  Tensor out = scaled_start(self, shape, dt, beta, false);
  kernels::gemm(out, m1, m2, alpha, beta);
  return out;
}

// ATen 1.13 runs addbmm as one addmm_ per batch into the result (beta for the
// first, 1 for the rest), so the addmm checks apply once there is a batch.
Tensor addbmm_compute(const Tensor& self, const Tensor& a, const Tensor& b, const Scalar& beta, const Scalar& alpha) {
  check_batch_ranks(a, b);
  FT_CHECK(a.size(0) == b.size(0), "batch1 and batch2 must have same number of batches, got ", a.size(0), " and ",
           b.size(0));
  FT_CHECK(a.size(2) == b.size(1), "Incompatible matrix sizes for bmm (", a.size(1), "x", a.size(2), " and ", b.size(1),
           "x", b.size(2), ")");
  const DimVector shape{a.size(1), b.size(2)};
  (void)self.expand(shape);
  const DType dt = self.dtype();
  const int64_t bs = a.size(0);
  if (bs == 0) return scaled_start(self, shape, dt, beta, true);
  check_addmm_dtypes(self, a, b);
  if (shape[0] * shape[1] == 0) return empty(shape, dt);
  if (a.size(2) == 0) {  // each addmm_ scales: by beta, then by 1 (an int Scalar: bool results raise)
    Tensor out = scaled_start(self, shape, dt, beta, true);
    for (int64_t n = 1; n < bs; ++n) out.mul_(Scalar(int64_t(1)));
    return out;
  }
  FT_CHECK_KIND(ErrorKind::NotImplemented, dt != DType::Bool, "\"addmm_impl_cpu_\" not implemented for 'Bool'");
  Tensor out = scaled_start(self, shape, dt, beta, false);
  for (int64_t n = 0; n < bs; ++n) kernels::gemm(out, a.select(0, n), b.select(0, n), alpha, n == 0 ? beta : 1);
  return out;
}

}  // namespace linalg

// ---- bmm ---------------------------------------------------------------------------------
Tensor bmm(const Tensor& a, const Tensor& b) {
  FT_OP_SCOPE("bmm");
  Tensor out;
  {
    autograd::NoGradGuard ng;
    out = linalg::bmm_compute(a, b);
  }
  autograd::record_bmm(a, b, out);
  return out;
}
Tensor& bmm_out(Tensor& out, const Tensor& a, const Tensor& b) {
  FT_OP_SCOPE("bmm");
  return linalg::structured_out("bmm", out, {&a, &b}, [&] { return linalg::bmm_compute(a, b); });
}
Tensor Tensor::bmm(const Tensor& b) const { return ft::bmm(*this, b); }

// ---- add* products -----------------------------------------------------------------------
FT_ADD_PRODUCT(addmm, "addmm", Addmm)
FT_ADD_PRODUCT(addbmm, "addbmm", Addbmm)

// baddbmm: the same four forms, its in-place one computed as in place (see
// baddbmm_compute).
Tensor baddbmm(const Tensor& s, const Tensor& b1, const Tensor& b2, const Scalar& beta, const Scalar& alpha) {
  FT_OP_SCOPE("baddbmm");
  Tensor out;
  {
    autograd::NoGradGuard ng;
    out = linalg::baddbmm_compute(s, b1, b2, beta, alpha);
  }
  autograd::record_add_product(autograd::AddProduct::Baddbmm, s, b1, b2, beta, alpha, out);
  return out;
}
Tensor& baddbmm_out(Tensor& out, const Tensor& s, const Tensor& b1, const Tensor& b2, const Scalar& beta,
                    const Scalar& alpha) {
  FT_OP_SCOPE("baddbmm");
  return linalg::structured_out("baddbmm", out, {&s, &b1, &b2},
                                [&] { return linalg::baddbmm_compute(s, b1, b2, beta, alpha); });
}
Tensor Tensor::baddbmm(const Tensor& b1, const Tensor& b2, const Scalar& beta, const Scalar& alpha) const {
  return ft::baddbmm(*this, b1, b2, beta, alpha);
}
Tensor& Tensor::baddbmm_(const Tensor& b1, const Tensor& b2, const Scalar& beta, const Scalar& alpha) {
  FT_OP_SCOPE("baddbmm_");
  return linalg::strict_inplace(*this, {&b1, &b2}, [&](const Tensor& s) {
    Tensor out;
    {
      autograd::NoGradGuard ng;
      out = linalg::baddbmm_compute(s, b1, b2, beta, alpha, /*in_place=*/true);
    }
    autograd::record_add_product(autograd::AddProduct::Baddbmm, s, b1, b2, beta, alpha, out);
    return out;
  });
}

}  // namespace ft
