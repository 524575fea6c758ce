// take and put: indices into self viewed as flat (row-major), negative
// indices wrapping once. Checks and messages as ATen 1.13 CPU.
#include "index_internal.h"
#include "write_conflicts.h"

namespace ft {
namespace index_detail {
namespace {

[[noreturn]] void flat_index_error(int64_t i, int64_t numel) {
  detail::throw_error(ErrorKind::Index, detail::str_cat("out of range: tried to access index ", i, " on a tensor of ",
                                                        numel, " elements."));
}

// Element offset (in self's storage, relative to its data pointer) of
// row-major position `li`; contiguous tensors take the fast path.
struct FlatOffsets {
  const Tensor& t;
  bool contiguous;
  int64_t operator()(int64_t li) const {
    if (contiguous) return li;
    int64_t off = 0;
    for (int64_t d = t.dim(); d-- > 0;) {
      off += (li % t.size(d)) * t.stride(d);
      li /= t.size(d);
    }
    return off;
  }
};

// Visits the index tensor's elements in row-major order with the matching
// element of `other` (same numel): fn(self_offset, other_offset).
template <typename F>
void for_each_flat(const Tensor& self, const Tensor& index, const Tensor& other, F fn) {
  const int64_t numel = self.numel();
  const FlatOffsets self_off{self, self.is_contiguous()}, other_off{other, other.is_contiguous()};
  const FlatOffsets idx_off{index, index.is_contiguous()};
  const int64_t* idx = index.data_ptr<int64_t>();
  for (int64_t k = 0; k < index.numel(); ++k) {
    int64_t i = idx[idx_off(k)];
    if (i < -numel || i >= numel) flat_index_error(i, numel);
    if (i < 0) i += numel;
    fn(self_off(i), other_off(k));
  }
}

Tensor take_compute(const Tensor& self, const Tensor& index) {
  autograd::NoGradGuard ng;
  FT_CHECK(index.dtype() == DType::Int64, "take(): Expected a long tensor for index, but got ",
           dtype_torch_name(index.dtype()));
  FT_CHECK_INDEX(!(self.numel() == 0 && index.numel() != 0), "take(): tried to take from an empty tensor");
  Tensor out = empty(index.sizes(), self.dtype());
  FT_DISPATCH_EVERY(self.dtype(), "take_cpu", [&] {
    using T = scalar_t;
    const T* s = self.data_ptr<T>();
    T* o = out.data_ptr<T>();
    for_each_flat(self, index, out, [&](int64_t so, int64_t oo) { o[oo] = s[so]; });
  });
  return out;
}

void put_check(const Tensor& self, const Tensor& index, const Tensor& source) {
  FT_CHECK(index.dtype() == DType::Int64, "put_(): Expected a long tensor for index, but got ",
           dtype_torch_name(index.dtype()));
  FT_CHECK(self.dtype() == source.dtype(), "put_(): self and source expected to have the same dtype, but got ",
           "self.dtype = ", dtype_torch_name(self.dtype()), " and source.dtype = ", dtype_torch_name(source.dtype()));
  FT_CHECK_INDEX(source.numel() == index.numel(), "put_(): Expected source and index to have the same number of ",
                 "elements, but got source.numel() = ", source.numel(), ", index.numel() = ", index.numel());
  FT_CHECK_INDEX(!(self.numel() == 0 && index.numel() != 0), "put_(): Tried to put elements into an empty tensor");
}

void put_into(Tensor& self, const Tensor& index, const Tensor& source, bool accumulate) {
  autograd::NoGradGuard ng;
  FT_DISPATCH_EVERY(self.dtype(), "put_cpu", [&] {
    using T = scalar_t;
    T* s = self.data_ptr<T>();
    const T* src = source.data_ptr<T>();
    if (accumulate)
      for_each_flat(self, index, source, [&](int64_t so, int64_t o) { kernels::AddOp{}(s[so], src[o]); });
    else {
      if (hardened::active()) {
        std::vector<std::pair<const void*, T>> writes;
        for_each_flat(self, index, source, [&](int64_t so, int64_t o) { writes.push_back({s + so, src[o]}); });
        report_write_conflicts("put_", writes);
      }
      for_each_flat(self, index, source, [&](int64_t so, int64_t o) { s[so] = src[o]; });
    }
  });
}

}  // namespace
}  // namespace index_detail

Tensor take(const Tensor& self, const Tensor& index) {
  FT_OP_SCOPE("take");
  Tensor out = index_detail::take_compute(self, index);
  autograd::record_take(self, index, out);
  return out;
}
Tensor& take_out(Tensor& out, const Tensor& self, const Tensor& index) {
  FT_OP_SCOPE("take");
  FT_CHECK(self.dtype() == out.dtype(), "take(): self and out expected to have the same dtype, but got self.dtype = ",
           dtype_torch_name(self.dtype()), " and out.dtype = ", dtype_torch_name(out.dtype()));
  return index_detail::structured_out("take", out, {&self}, [&] { return ft::take(self, index); });
}
Tensor Tensor::take(const Tensor& index) const { return ft::take(*this, index); }

Tensor put(const Tensor& self, const Tensor& index, const Tensor& source, bool accumulate) {
  FT_OP_SCOPE("put");
  index_detail::put_check(self, index, source);
  Tensor out =
      index_detail::clone_and_write(self, [&](Tensor& o) { index_detail::put_into(o, index, source, accumulate); });
  autograd::record_put(self, index, source, accumulate, out);
  return out;
}
Tensor Tensor::put(const Tensor& index, const Tensor& source, bool accumulate) const {
  return ft::put(*this, index, source, accumulate);
}
Tensor& Tensor::put_(const Tensor& index, const Tensor& source, bool accumulate) {
  FT_OP_SCOPE("put_");
  index_detail::put_check(*this, index, source);
  return index_detail::inplace_or_direct(
      *this, {&index, &source}, [&](const Tensor& s) { return ft::put(s, index, source, accumulate); },
      [&](Tensor& self) { index_detail::put_into(self, index, source, accumulate); });
}

}  // namespace ft
