// Logical reductions: all / any (whole tensor, one dim) and count_nonzero
// (dim list). Any dtype; the result is bool (count_nonzero: int64). NaN is
// nonzero, hence true.
#include "../kernels/cpu/reduce_rows.h"
#include "op_helpers.h"

namespace ft {
namespace {

// kind 0: all, 1: any, 2: count_nonzero.
Tensor logical_compute(const Tensor& a, uint64_t mask, bool keepdim, int kind) {
  autograd::NoGradGuard ng;
  kernels::Rows rows = kernels::to_rows(a, mask);
  // all/any of a uint8 tensor return uint8 (0 or 1) in 1.13, a legacy rule.
  DType odt = kind == 2 ? DType::Int64 : a.dtype() == DType::UInt8 ? DType::UInt8 : DType::Bool;
  Tensor out = empty(ops::reduced_shape(a.sizes(), mask, keepdim), odt);
  FT_DISPATCH_EVERY(a.dtype(), kind == 0 ? "all" : kind == 1 ? "any" : "count_nonzero_cpu", [&] {
    using T = scalar_t;
    const T* x = rows.m * rows.k != 0 ? rows.data.data_ptr<T>() : nullptr;
    for (int64_t i = 0; i < rows.m; ++i) {
      int64_t nz = 0;
      for (int64_t j = 0; j < rows.k; ++j) nz += x[i * rows.k + j] != T(0);
      if (kind == 2) out.data_ptr<int64_t>()[i] = nz;
      else if (odt == DType::UInt8) out.data_ptr<uint8_t>()[i] = kind == 0 ? nz == rows.k : nz > 0;
      else out.data_ptr<bool>()[i] = kind == 0 ? nz == rows.k : nz > 0;
    }
  });
  return out;
}

}  // namespace

Tensor all(const Tensor& a) { FT_OP_SCOPE("all"); return logical_compute(a, ops::reduce_dim_mask({}, a.dim(), "all"), false, 0); }
Tensor any(const Tensor& a) { FT_OP_SCOPE("any"); return logical_compute(a, ops::reduce_dim_mask({}, a.dim(), "any"), false, 1); }
Tensor all(const Tensor& a, int64_t dim, bool keepdim) {
  FT_OP_SCOPE("all");
  return logical_compute(a, kernels::dim_bit(dim, a.dim()), keepdim, 0);
}
Tensor any(const Tensor& a, int64_t dim, bool keepdim) {
  FT_OP_SCOPE("any");
  return logical_compute(a, kernels::dim_bit(dim, a.dim()), keepdim, 1);
}
Tensor& all_out(Tensor& out, const Tensor& a, int64_t dim, bool keepdim) {
  FT_OP_SCOPE("all");
  return ops::write_out(out, all(a, dim, keepdim));
}
Tensor& any_out(Tensor& out, const Tensor& a, int64_t dim, bool keepdim) {
  FT_OP_SCOPE("any");
  return ops::write_out(out, any(a, dim, keepdim));
}
Tensor count_nonzero(const Tensor& a, IntArrayRef dims) {
  FT_OP_SCOPE("count_nonzero");
  return logical_compute(a, ops::reduce_dim_mask(dims, a.dim(), "count_nonzero"), false, 2);
}

Tensor Tensor::all() const { return ft::all(*this); }
Tensor Tensor::any() const { return ft::any(*this); }
Tensor Tensor::all(int64_t dim, bool keepdim) const { return ft::all(*this, dim, keepdim); }
Tensor Tensor::any(int64_t dim, bool keepdim) const { return ft::any(*this, dim, keepdim); }
Tensor Tensor::count_nonzero(IntArrayRef dims) const { return ft::count_nonzero(*this, dims); }

}  // namespace ft
