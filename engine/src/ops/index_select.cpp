// index_select, index_add, index_copy and index_fill: one 1-D (or 0-dim)
// index along one dim. Checks, accepted index dtypes, wrapping of negative
// indices (index_fill only) and messages as ATen 1.13 CPU.
#include "index_internal.h"
#include "write_conflicts.h"

namespace ft {
namespace index_detail {
namespace {

// Index strides over a shape of `nd` dims: the index's own stride on `dim`, 0 elsewhere.
DimVector index_along(const Tensor& index, int64_t dim, size_t nd) {
  DimVector s(nd, 0);
  s[size_t(dim)] = index.dim() == 0 ? 0 : index.stride(0);
  return s;
}

template <typename F>
void dispatch_index_dtype(DType dt, F f) {
  if (dt == DType::Int32) f(int32_t{});
  else f(int64_t{});
}

Tensor index_select_compute(const Tensor& self, int64_t dim, const Tensor& index) {
  autograd::NoGradGuard ng;
  const int64_t numel = index.numel();
  FT_CHECK_INDEX(index.dim() <= 1, "index_select(): Index is supposed to be a vector");
  FT_CHECK(!(self.dim() == 0 && numel != 1), "index_select(): Index to scalar can have only 1 value, got ", numel,
           " value(s)");
  FT_CHECK(index.dtype() == DType::Int64 || index.dtype() == DType::Int32,
           "index_select(): Expected dtype int32 or int64 for index");
  const int64_t d = maybe_wrap_dim(dim, self.dim());
  DimVector out_sizes(self.sizes());
  if (self.dim() > 0) out_sizes[size_t(d)] = numel;
  Tensor out = empty(out_sizes, self.dtype());
  const int64_t size = nonempty_size(self, d);
  // Every index is checked, even when the result is empty (ATen does).
  FT_CHECK(!(numel > 0 && size == 0), "index_select(): self indexing axis dim should be positive");
  dispatch_index_dtype(index.dtype(), [&](auto i0) {
    using I = decltype(i0);
    Tensor ic = index.contiguous();
    const I* p = ic.data_ptr<I>();
    for (int64_t k = 0; k < numel; ++k)
      FT_CHECK_INDEX(p[k] >= 0 && p[k] < size, "INDICES element is out of DATA bounds, id=", int64_t(p[k]),
                     " axis_dim=", size);
  });
  if (out.numel() == 0) return out;
  const DimVector shape = nonempty_sizes(out);
  FT_DISPATCH_EVERY(self.dtype(), "index_select", [&] {
    using T = scalar_t;
    dispatch_index_dtype(index.dtype(), [&](auto i0) {
      using I = decltype(i0);
      kernels::index_dim_loop<false>(
          shape, out.data_ptr<T>(), contiguous_strides(shape), self.data_ptr<T>(), nonempty_strides(self, d),
          index.data_ptr<I>(), index_along(index, d, shape.size()), size, nonempty_stride(self, d), false,
          kernels::AssignOp{}, [&](int64_t i) {
            detail::throw_error(ErrorKind::Index, detail::str_cat("INDICES element is out of DATA bounds, id=", i,
                                                                  " axis_dim=", size));
          });
    });
  });
  return out;
}

// index_add / index_copy argument checks (ATen's index_func_meta_impl and index_copy meta).
void index_add_check(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source) {
  FT_CHECK_INDEX(index.dim() <= 1, "index_add_(): Index is supposed to be a vector");
  FT_CHECK(index.dtype() == DType::Int64 || index.dtype() == DType::Int32,
           "index_add_(): Expected dtype int32/int64 for index");
  FT_CHECK(self.dtype() == source.dtype(), "index_add_(): self (", dtype_torch_name(self.dtype()), ") and source (",
           dtype_torch_name(source.dtype()), ") must have the same scalar type");
  FT_CHECK(dim == 0 || dim < source.dim(), "index_add_(): Indexing dim ", dim,
           " is out of bounds of the source tensor with dim ", source.dim());
  const int64_t n = source.dim() == 0 ? 1 : source.size(dim);
  FT_CHECK(index.numel() == n, "index_add_(): Number of indices (", index.numel(),
           ") should be equal to source.size(dim) (", n, ")");
  // 1.13's kernel: a self of rank > 1 adds source.select(dim, i) into
  // self.select(dim, index[i]) with broadcasting (both selects must exist);
  // rank <= 1 walks single elements of a source of rank <= 1.
  if (index.numel() == 0) return;
  if (self.dim() > 1) {
    (void)self.select(dim, 0);
    Tensor src_slice = source.select(dim, 0);
    DimVector self_slice(self.sizes());
    self_slice.erase(size_t(dim));
    DimVector bs = broadcast_shapes(self_slice, src_slice.sizes());
    FT_CHECK(IntArrayRef(bs).equals(self_slice), "output with shape ", shape_str(self_slice),
             " doesn't match the broadcast shape ", shape_str(bs));
  } else {
    FT_CHECK(source.dim() <= 1, "source.dim() (", source.dim(), ") must one or zero for given self.dim() (",
             self.dim(), ")");
  }
}

// Strides of source over self's shape with `dim` of length index.numel():
// the source slice broadcast over self's slice, and source's own stride on dim.
DimVector source_strides_over_self(const Tensor& self, int64_t dim, const Tensor& source) {
  if (self.dim() <= 1) return DimVector{source.dim() == 0 ? 0 : source.stride(0)};
  DimVector self_slice(self.sizes());
  self_slice.erase(size_t(dim));
  DimVector st = ops::expanded_strides(source.select(dim, 0), self_slice);
  st.insert(size_t(dim), source.stride(dim));
  return st;
}

void index_copy_check(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source) {
  FT_CHECK_INDEX(index.dim() < 2, "index_copy_(): Index should have dimension 1 or 0 (got ", index.dim(), ")");
  const int64_t n = index.numel();
  FT_CHECK_INDEX(!(source.dim() == 0 && n != 1),
                 "index_copy_(): When source is scalar, index should have one element (got ", n, ")");
  FT_CHECK_INDEX(!(source.dim() != self.dim() && source.dim() != 0 && self.dim() != 0),
                 "index_copy_(): When source and destination are not scalars, their dimensionality must match. ",
                 "Source dimensionality (", source.dim(), "), destination dimensionality (", self.dim(), ")");
  FT_CHECK(index.dtype() == DType::Int64, "index_copy_(): Expected a long tensor for index, but got ",
           dtype_torch_name(index.dtype()));
  FT_CHECK(self.dtype() == source.dtype(), "index_copy_(): self and source expected to have the same dtype, but got ",
           "(self) ", dtype_torch_name(self.dtype()), " and (source) ", dtype_torch_name(source.dtype()));
  DimVector ss(self.sizes()), os(source.sizes());
  if (!ss.empty()) ss.erase(size_t(dim));
  if (!os.empty()) os.erase(size_t(dim));
  FT_CHECK_INDEX(IntArrayRef(ss).equals(os), "index_copy_(): Source/destination tensor must have same slice shapes. ",
                 "Destination slice shape: ", shape_str(ss), " at dimension ", dim,
                 " and source slice shape: ", shape_str(os), " at dimension 0.");
  FT_CHECK_INDEX(!(source.dim() > 0 && n != source.size(dim)), "index_copy_(): Number of indices (", n,
                 ") should be equal to source.size(dim) (", source.dim() > 0 ? source.size(dim) : 1, ")");
}

}  // namespace

void index_dim_into(Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha,
                    IndexDimOp op) {
  // ATen's index_add converts alpha to the dtype (checked) before its 1-D
  // loop whatever the index; beyond 1-D its add kernel does, per index (an
  // empty self included).
  if (op == IndexDimOp::Add && self.dim() <= 1) ops::check_scalar_fits(alpha, self.dtype());
  if (index.numel() == 0) return;
  autograd::NoGradGuard ng;
  const int64_t size = nonempty_size(self, dim);
  if (op == IndexDimOp::Add) {  // every index is checked, even into an empty self (ATen's loop does)
    dispatch_index_dtype(index.dtype(), [&](auto i0) {
      using I = decltype(i0);
      Tensor ic = index.contiguous();
      const I* p = ic.data_ptr<I>();
      for (int64_t k = 0; k < ic.numel(); ++k)
        FT_CHECK_INDEX(p[k] >= 0 && p[k] < size, "index out of range in self");
    });
    ops::check_scalar_fits(alpha, self.dtype());
  }
  if (self.numel() == 0) return;
  DimVector shape = nonempty_sizes(self);
  shape[size_t(dim)] = index.numel();
  const DimVector src_st = op == IndexDimOp::Add ? source_strides_over_self(self, dim, source) : nonempty_strides(source);
  FT_DISPATCH_EVERY(self.dtype(), "index_add_cpu_", [&] {
    using T = scalar_t;
    const T a = alpha.to<T>();
    dispatch_index_dtype(index.dtype(), [&](auto i0) {
      using I = decltype(i0);
      auto run = [&](auto combine, auto bad) {
        kernels::index_dim_loop<true>(shape, self.data_ptr<T>(), nonempty_strides(self, dim), source.data_ptr<T>(),
                                      src_st, index.data_ptr<I>(),
                                      index_along(index, dim, shape.size()), size, nonempty_stride(self, dim), false,
                                      combine, bad);
      };
      if (op == IndexDimOp::Copy) {
        auto bad = [&](int64_t i) {
          detail::throw_error(ErrorKind::Index, detail::str_cat("index_copy_(): index ", i,
                                                                " is out of bounds for dimension ", dim, " with size ",
                                                                size));
        };
        if (hardened::active()) {
          std::vector<std::pair<const void*, T>> writes;
          run(RecordWrites<T>{&writes}, bad);
          report_write_conflicts("index_copy_", writes);
        }
        run(kernels::AssignOp{}, bad);
      } else {
        run([a](T& d, const T& s) {
              if constexpr (std::is_same_v<T, bool>) d = d || (s && a);
              else d = T(d + s * a);
            },
            [](int64_t) { detail::throw_error(ErrorKind::Index, "index out of range in self"); });
      }
    });
  });
}

namespace {

Tensor index_add_compute(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source,
                         const Scalar& alpha) {
  autograd::NoGradGuard ng;
  const int64_t d = maybe_wrap_dim(dim, self.dim());
  index_add_check(self, d, index, source);
  Tensor out = self.clone();
  index_dim_into(out, d, index, source, alpha, IndexDimOp::Add);
  return out;
}

Tensor index_copy_compute(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source) {
  autograd::NoGradGuard ng;
  const int64_t d = maybe_wrap_dim(dim, self.dim());
  index_copy_check(self, d, index, source);
  Tensor out = self.clone();
  index_dim_into(out, d, index, source, 1, IndexDimOp::Copy);
  return out;
}

void index_fill_check(const Tensor& self, const Tensor& index) {
  FT_CHECK_INDEX(index.dtype() == DType::Int64, "index_fill_(): Expected dtype int64 for index.");
  FT_CHECK(index.dim() <= 1, "Index has to be a vector/scalar");
  (void)self;
}

// Fills self's slices at index along dim (negative indices wrap).
void index_fill_into(Tensor& self, int64_t dim, const Tensor& index, const Scalar& value) {
  const int64_t d = maybe_wrap_dim(dim, nonempty_dim(self));
  // ATen converts the value to self's dtype first, so an overflowing value
  // raises even when nothing is filled.
  ops::check_scalar_fits(value, self.dtype());
  if (index.numel() == 0) return;
  // 1.13 restrides self to its shape with dim's size replaced by the
  // index's length, which needs storage when no other dim is empty.
  if (self.numel() == 0) {
    bool other_empty = false;
    for (int64_t k = 0; k < self.dim(); ++k) other_empty = other_empty || (k != d && self.size(k) == 0);
    FT_CHECK(other_empty, "setStorage: sizes ", shape_str(self.sizes()), " with dim ", d, " of size ",
             index.numel(), " are out of bounds for storage of size 0");
    return;
  }
  autograd::NoGradGuard ng;
  // Walk self's shape with the dim replaced by the index's length.
  DimVector shape = nonempty_sizes(self);
  const int64_t size = shape[size_t(d)];
  shape[size_t(d)] = index.numel();
  Tensor v = scalar_tensor(value, self.dtype());
  FT_DISPATCH_EVERY(self.dtype(), "index_fill", [&] {
    using T = scalar_t;
    kernels::index_dim_loop<true>(shape, self.data_ptr<T>(), nonempty_strides(self, d), v.data_ptr<T>(),
                                  DimVector(shape.size(), 0), index.data_ptr<int64_t>(),
                                  index_along(index, d, shape.size()), size, nonempty_stride(self, d), true,
                                  kernels::AssignOp{}, [&](int64_t i) {
                                    detail::throw_error(ErrorKind::Index,
                                                        detail::str_cat("index ", i, " is out of bounds for dimension ",
                                                                        d, " with size ", size));
                                  });
  });
}

}  // namespace
}  // namespace index_detail

// ---- index_select ----------------------------------------------------------------------------------
Tensor index_select(const Tensor& self, int64_t dim, const Tensor& index) {
  FT_OP_SCOPE("index_select");
  Tensor out = index_detail::index_select_compute(self, dim, index);
  autograd::record_index_select(self, maybe_wrap_dim(dim, self.dim()), index, out);
  return out;
}
Tensor& index_select_out(Tensor& out, const Tensor& self, int64_t dim, const Tensor& index) {
  FT_OP_SCOPE("index_select");
  FT_CHECK(self.dtype() == out.dtype(), "index_select(): self and result must have the same scalar type");
  return index_detail::structured_out("index_select", out, {&self}, [&] { return ft::index_select(self, dim, index); });
}
Tensor Tensor::index_select(int64_t dim, const Tensor& index) const { return ft::index_select(*this, dim, index); }

// ---- index_add -------------------------------------------------------------------------------------
Tensor index_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) {
  FT_OP_SCOPE("index_add");
  Tensor out = index_detail::index_add_compute(self, dim, index, source, alpha);
  autograd::record_index_add(self, maybe_wrap_dim(dim, self.dim()), index, source, alpha, out);
  return out;
}
Tensor& index_add_out(Tensor& out, const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source,
                      const Scalar& alpha) {
  FT_OP_SCOPE("index_add");
  return index_detail::structured_out("index_add", out, {&self, &source},
                                      [&] { return ft::index_add(self, dim, index, source, alpha); });
}
Tensor Tensor::index_add(int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) const {
  return ft::index_add(*this, dim, index, source, alpha);
}
Tensor& Tensor::index_add_(int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) {
  FT_OP_SCOPE("index_add_");
  const int64_t d = maybe_wrap_dim(dim, this->dim());
  index_detail::index_add_check(*this, d, index, source);
  return index_detail::inplace_or_direct(
      *this, {&index, &source}, [&](const Tensor& s) { return ft::index_add(s, dim, index, source, alpha); },
      [&](Tensor& self) { index_detail::index_dim_into(self, d, index, source, alpha, index_detail::IndexDimOp::Add); });
}

// ---- index_copy ------------------------------------------------------------------------------------
Tensor index_copy(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source) {
  FT_OP_SCOPE("index_copy");
  Tensor out = index_detail::index_copy_compute(self, dim, index, source);
  autograd::record_index_copy(self, maybe_wrap_dim(dim, self.dim()), index, source, out);
  return out;
}
Tensor& index_copy_out(Tensor& out, const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source) {
  FT_OP_SCOPE("index_copy");
  return index_detail::structured_out("index_copy", out, {&self, &source},
                                      [&] { return ft::index_copy(self, dim, index, source); });
}
Tensor Tensor::index_copy(int64_t dim, const Tensor& index, const Tensor& source) const {
  return ft::index_copy(*this, dim, index, source);
}
Tensor& Tensor::index_copy_(int64_t dim, const Tensor& index, const Tensor& source) {
  FT_OP_SCOPE("index_copy_");
  const int64_t d = maybe_wrap_dim(dim, this->dim());
  index_detail::index_copy_check(*this, d, index, source);
  return index_detail::inplace_or_direct(
      *this, {&index, &source}, [&](const Tensor& s) { return ft::index_copy(s, dim, index, source); },
      [&](Tensor& self) { index_detail::index_dim_into(self, d, index, source, 1, index_detail::IndexDimOp::Copy); });
}

// ---- index_fill ------------------------------------------------------------------------------------
Tensor index_fill(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value) {
  FT_OP_SCOPE("index_fill");
  index_detail::index_fill_check(self, index);
  Tensor out = index_detail::clone_and_write(self, [&](Tensor& o) { index_detail::index_fill_into(o, dim, index, value); });
  autograd::record_index_fill(self, maybe_wrap_dim(dim, index_detail::nonempty_dim(self)), index, out);
  return out;
}
Tensor Tensor::index_fill(int64_t dim, const Tensor& index, const Scalar& value) const {
  return ft::index_fill(*this, dim, index, value);
}
Tensor& Tensor::index_fill_(int64_t dim, const Tensor& index, const Scalar& value) {
  FT_OP_SCOPE("index_fill_");
  index_detail::index_fill_check(*this, index);
  return index_detail::inplace_or_direct(
      *this, {&index}, [&](const Tensor& s) { return ft::index_fill(s, dim, index, value); },
      [&](Tensor& self) { index_detail::index_fill_into(self, dim, index, value); }, /*check_overlap=*/false);
}

}  // namespace ft
