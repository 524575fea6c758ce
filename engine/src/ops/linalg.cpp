// mm and matmul (all of torch.matmul's rank cases, batch broadcasting).
#include "../autograd/record.h"
#include "../kernels/cpu/gemm.h"
#include "op_helpers.h"

namespace ft {
namespace {

void check_mm(const Tensor& a, const Tensor& b) {
  FT_CHECK(a.dim() == 2, "self must be a matrix");
  FT_CHECK(b.dim() == 2, "mat2 must be a matrix");
  FT_CHECK(a.size(1) == b.size(0), "mat1 and mat2 shapes cannot be multiplied (", a.size(0), "x", a.size(1),
           " and ", b.size(0), "x", b.size(1), ")");
  FT_CHECK(a.dtype() == b.dtype(), "expected scalar type ", dtype_torch_name(a.dtype()), " but found ",
           dtype_torch_name(b.dtype()));
}

Tensor mm_compute(const Tensor& a, const Tensor& b) {
  check_mm(a, b);
  FT_CHECK_KIND(ErrorKind::NotImplemented, a.dtype() != DType::Bool,
                "\"addmm_impl_cpu_\" not implemented for 'Bool'");
  autograd::NoGradGuard ng;
  Tensor out = empty({a.size(0), b.size(1)}, a.dtype());
  kernels::gemm(out, a, b);
  return out;
}

// Batched product over broadcast batch dims: a (..., n, k) @ b (..., k, m).
Tensor matmul_compute(const Tensor& a_in, const Tensor& b_in) {
  autograd::NoGradGuard ng;
  const int64_t da = a_in.dim(), db = b_in.dim();
  FT_CHECK(da > 0 && db > 0, "both arguments to matmul need to be at least 1D, but they are ", da, "D and ", db, "D");
  FT_CHECK(a_in.dtype() == b_in.dtype(), "expected scalar type ", dtype_torch_name(a_in.dtype()), " but found ",
           dtype_torch_name(b_in.dtype()));
  if (da == 1 && db == 1) {
    FT_CHECK(a_in.size(0) == b_in.size(0), "inconsistent tensor size, expected tensor [", a_in.size(0),
             "] and src [", b_in.size(0), "] to have the same number of elements, but got ", a_in.size(0), " and ",
             b_in.size(0), " elements respectively");
    return mm_compute(a_in.unsqueeze(0), b_in.unsqueeze(1)).view(IntArrayRef());
  }
  Tensor a = da == 1 ? a_in.unsqueeze(0) : a_in;  // (1, k)
  Tensor b = db == 1 ? b_in.unsqueeze(1) : b_in;  // (k, 1)
  const int64_t n = a.size(-2), k = a.size(-1), k2 = b.size(-2), m = b.size(-1);
  FT_CHECK(k == k2, da == 1 || db == 1 || (da == 2 && db == 2) ? "mat1 and mat2 shapes cannot be multiplied (" : "Expected size for first two dimensions of batch2 tensor to be: [",
           n, "x", k, " and ", k2, "x", m, ")");
  IntArrayRef a_batch(a.sizes().data(), size_t(a.dim() - 2)), b_batch(b.sizes().data(), size_t(b.dim() - 2));
  DimVector batch = broadcast_shapes(a_batch, b_batch);
  int64_t nb = 1;
  for (int64_t s : batch) nb *= s;
  DimVector full_shape(batch);
  full_shape.push_back(n);
  full_shape.push_back(m);
  Tensor out = empty(full_shape, a.dtype());
  if (batch.empty()) {
    if (a.dtype() == DType::Bool) FT_CHECK_KIND(ErrorKind::NotImplemented, false, "\"addmm_impl_cpu_\" not implemented for 'Bool'");
    kernels::gemm(out, a, b);
  } else {
    FT_CHECK_KIND(ErrorKind::NotImplemented, a.dtype() != DType::Bool, "\"bmm\" not implemented for 'Bool'");
    DimVector ea(batch), eb(batch);
    ea.push_back(n); ea.push_back(k);
    eb.push_back(k); eb.push_back(m);
    Tensor A = a.expand(ea), B = b.expand(eb);
    // Walk the batch index as an odometer; each step is one 2-D GEMM.
    DimVector idx(batch.size(), 0);
    for (int64_t i = 0; i < nb; ++i) {
      Tensor ai = A, bi = B, oi = out;
      for (size_t d = 0; d < batch.size(); ++d) {
        ai = ai.select(0, idx[d]);
        bi = bi.select(0, idx[d]);
        oi = oi.select(0, idx[d]);
      }
      kernels::gemm(oi, ai, bi);
      for (size_t d = batch.size(); d-- > 0;) {
        if (++idx[d] < batch[d]) break;
        idx[d] = 0;
      }
    }
  }
  // Drop the dims that 1-D operands gained.
  DimVector final_shape(batch);
  if (da > 1) final_shape.push_back(n);
  if (db > 1) final_shape.push_back(m);
  return out.view(final_shape);
}

}  // namespace

Tensor mm(const Tensor& a, const Tensor& b) {
  FT_OP_SCOPE("mm");
  Tensor out = mm_compute(a, b);
  autograd::record_mm(a, b, out);
  return out;
}
Tensor& mm_out(Tensor& out, const Tensor& a, const Tensor& b) {
  FT_OP_SCOPE("mm");
  FT_CHECK(!autograd::any_requires_grad({&a, &b}), "mm(): functions with out=... arguments don't support automatic "
           "differentiation, but one of the arguments requires grad.");
  return ops::write_out(out, mm_compute(a, b));
}
Tensor matmul(const Tensor& a, const Tensor& b) {
  FT_OP_SCOPE("matmul");
  Tensor out = matmul_compute(a, b);
  autograd::record_matmul(a, b, out);
  return out;
}
Tensor& matmul_out(Tensor& out, const Tensor& a, const Tensor& b) {
  FT_OP_SCOPE("matmul");
  FT_CHECK(!autograd::any_requires_grad({&a, &b}), "matmul(): functions with out=... arguments don't support "
           "automatic differentiation, but one of the arguments requires grad.");
  return ops::write_out(out, matmul_compute(a, b));
}
Tensor Tensor::mm(const Tensor& o) const { return ft::mm(*this, o); }
Tensor Tensor::matmul(const Tensor& o) const { return ft::matmul(*this, o); }

}  // namespace ft
