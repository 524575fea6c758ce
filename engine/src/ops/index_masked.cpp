// masked_select, masked_scatter, nonzero, argwhere and where(condition):
// elements visited in row-major order of the broadcast shape, as ATen 1.13's
// serial CPU kernels do.
#include <algorithm>
#include <numeric>

#include "index_internal.h"

namespace ft {
namespace index_detail {
namespace {

void check_mask_dtype(const Tensor& mask, const char* msg) {
  FT_CHECK(mask.dtype() == DType::Bool || mask.dtype() == DType::UInt8, msg, dtype_torch_name(mask.dtype()));
}

// Calls fn(k) for each row-major position k of `t` whose element is nonzero.
template <typename F>
void for_each_nonzero(const Tensor& t, F fn) {
  Tensor c = t.contiguous();
  FT_DISPATCH_EVERY(t.dtype(), "nonzero_cpu", [&] {
    using T = scalar_t;
    const T* p = c.data_ptr<T>();
    for (int64_t k = 0; k < c.numel(); ++k)
      if (p[k] != T(0)) fn(k);
  });
}

Tensor masked_select_compute(const Tensor& self, const Tensor& mask) {
  autograd::NoGradGuard ng;
  check_mask_dtype(mask, "masked_select: expected BoolTensor or ByteTensor for mask, got ");
  const DimVector shape = broadcast_shapes(mask.sizes(), self.sizes());
  Tensor m = mask.expand(shape).contiguous(), s = self.expand(shape).contiguous();
  int64_t n = 0;
  for_each_nonzero(m, [&](int64_t) { ++n; });
  Tensor out = empty({n}, self.dtype());
  FT_DISPATCH_EVERY(self.dtype(), "masked_select", [&] {
    using T = scalar_t;
    const T* sp = s.data_ptr<T>();
    T* o = out.data_ptr<T>();
    for_each_nonzero(m, [&](int64_t k) { *o++ = sp[k]; });
  });
  return out;
}

void masked_scatter_check(const Tensor& self, const Tensor& mask, const Tensor& source) {
  FT_CHECK(self.dtype() == source.dtype(), "masked_scatter: expected self and source to have same dtypes but got",
           dtype_torch_name(self.dtype()), " and ", dtype_torch_name(source.dtype()));
  check_mask_dtype(mask, "masked_scatter_only supports boolean and uint8 masks, but got mask with dtype ");
}

// self is written in place at the mask's true positions (mask expandable to
// self), consuming source in the order ATen's serial TensorIterator kernel
// visits self: its memory order (dims sorted by stride, innermost the
// smallest; a contiguous self is plain row-major order).
void masked_scatter_into(Tensor& self, const Tensor& mask, const Tensor& source) {
  autograd::NoGradGuard ng;
  DimVector bs = broadcast_shapes(self.sizes(), mask.sizes());
  FT_CHECK(IntArrayRef(bs).equals(self.sizes()), "The expanded size of the mask ", shape_str(mask.sizes()),
           " must match the existing size ", shape_str(self.sizes()), " of self in masked_scatter_");
  const std::vector<int64_t> perm = memory_order(self);
  Tensor s = self.permute(perm);
  Tensor m = mask.expand(self.sizes()).permute(perm).contiguous(), src = source.contiguous();
  const int64_t src_numel = src.numel();
  FT_DISPATCH_EVERY(self.dtype(), "masked_scatter", [&] {
    using T = scalar_t;
    const T* sp = src.data_ptr<T>();
    T* base = s.data_ptr<T>();
    int64_t next = 0;
    for_each_nonzero(m, [&](int64_t k) {
      FT_CHECK(next < src_numel, "Number of elements of source < number of ones in mask");
      int64_t off = 0;
      for (int64_t d = s.dim(), li = k; d-- > 0; li /= s.size(d)) off += (li % s.size(d)) * s.stride(d);
      base[off] = sp[next++];
    });
  });
}

}  // namespace

Tensor nonzero_compute(const Tensor& self) {
  autograd::NoGradGuard ng;
  std::vector<int64_t> pos;
  for_each_nonzero(self, [&](int64_t k) { pos.push_back(k); });
  const int64_t nd = self.dim(), n = int64_t(pos.size());
  Tensor out = empty({n, nd}, DType::Int64);
  int64_t* o = out.data_ptr<int64_t>();
  for (int64_t r = 0; r < n; ++r) {
    int64_t li = pos[size_t(r)];
    for (int64_t d = nd; d-- > 0;) {
      o[r * nd + d] = li % self.size(d);
      li /= self.size(d);
    }
  }
  return out;
}

}  // namespace index_detail

// ---- masked_select -------------------------------------------------------------------------------
Tensor masked_select(const Tensor& self, const Tensor& mask) {
  FT_OP_SCOPE("masked_select");
  Tensor out = index_detail::masked_select_compute(self, mask);
  autograd::record_masked_select(self, mask, out);
  return out;
}
Tensor& masked_select_out(Tensor& out, const Tensor& self, const Tensor& mask) {
  FT_OP_SCOPE("masked_select");
  FT_CHECK(self.dtype() == out.dtype(), "masked_select(): self and result must have the same scalar type");
  return index_detail::structured_out("masked_select", out, {&self}, [&] { return ft::masked_select(self, mask); });
}
Tensor Tensor::masked_select(const Tensor& mask) const { return ft::masked_select(*this, mask); }

// ---- masked_scatter (out of place: self broadcast with the mask, then written) ---------------------------
Tensor masked_scatter(const Tensor& self, const Tensor& mask, const Tensor& source) {
  FT_OP_SCOPE("masked_scatter");
  Tensor out;
  {
    autograd::NoGradGuard ng;
    const DimVector shape = broadcast_shapes(mask.sizes(), self.sizes());
    out = self.expand(shape).contiguous().clone();
    index_detail::masked_scatter_check(out, mask, source);
    index_detail::masked_scatter_into(out, mask, source);
  }
  autograd::record_masked_scatter(self, mask, source, out);
  return out;
}
Tensor Tensor::masked_scatter(const Tensor& mask, const Tensor& source) const {
  return ft::masked_scatter(*this, mask, source);
}
Tensor& Tensor::masked_scatter_(const Tensor& mask, const Tensor& source) {
  FT_OP_SCOPE("masked_scatter_");
  index_detail::masked_scatter_check(*this, mask, source);
  return index_detail::inplace_or_direct(
      *this, {&mask, &source}, [&](const Tensor& s) { return ft::masked_scatter(s, mask, source); },
      [&](Tensor& self) { index_detail::masked_scatter_into(self, mask, source); });
}

// ---- nonzero / argwhere / where(condition) -----------------------------------------------------------
Tensor nonzero(const Tensor& self) {
  FT_OP_SCOPE("nonzero");
  return index_detail::nonzero_compute(self);
}
Tensor& nonzero_out(Tensor& out, const Tensor& self) {
  FT_OP_SCOPE("nonzero");
  FT_CHECK(out.dtype() == DType::Int64, "nonzero: Expected out tensor to have scalar type Long but got scalar type",
           dtype_torch_name(out.dtype()));
  return ops::write_out(out, index_detail::nonzero_compute(self));
}
Tensor Tensor::nonzero() const { return ft::nonzero(*this); }
Tensor argwhere(const Tensor& self) {
  FT_OP_SCOPE("argwhere");
  return index_detail::nonzero_compute(self);
}
Tensor Tensor::argwhere() const { return ft::argwhere(*this); }
// ATen's nonzero_numpy: one index tensor per dim (a 0-dim condition counts as 1-D).
std::vector<Tensor> where(const Tensor& condition) {
  FT_OP_SCOPE("where");
  Tensor c = condition.dim() == 0 ? condition.unsqueeze(0) : condition;
  return index_detail::nonzero_compute(c).unbind(1);
}

}  // namespace ft
