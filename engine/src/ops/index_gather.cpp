// gather, scatter (src / value / reduce="add"|"multiply"), scatter_add,
// scatter_reduce and take_along_dim: ATen 1.13's argument checks and
// messages (ScatterGatherChecks.h), kernels in kernels/cpu/index_loops.h.
#include <cmath>
#include <limits>

#include "../autograd/record_shape.h"
#include "index_internal.h"
#include "write_conflicts.h"

namespace ft {
namespace index_detail {

void gather_shape_check(const Tensor& self, int64_t dim, const Tensor& index) {
  FT_CHECK(nonempty_dim(self) == nonempty_dim(index),
           "Index tensor must have the same number of dimensions as input tensor");
  for (int64_t d = 0; d < nonempty_dim(self); ++d)
    FT_CHECK(d == dim || nonempty_size(index, d) <= nonempty_size(self, d), "Size does not match at dimension ", d,
             " expected index ", shape_str(index.sizes()), " to be smaller than self ", shape_str(self.sizes()),
             " apart from dimension ", dim);
}

void scatter_gather_dtype_check(const char* name, const Tensor& self, const Tensor& index, const Tensor* src) {
  if (index.numel() != 0)
    FT_CHECK(index.dtype() == DType::Int64, name, "(): Expected dtype int64 for index");
  if (src) FT_CHECK(self.dtype() == src->dtype(), name, "(): Expected self.dtype to be equal to src.dtype");
}

void scatter_shape_check(const Tensor& self, int64_t dim, const Tensor& index, const Tensor* src) {
  if (index.numel() == 0) return;
  FT_CHECK(nonempty_dim(self) == nonempty_dim(index),
           "Index tensor must have the same number of dimensions as self tensor");
  bool wrong = false;
  for (int64_t d = 0; d < nonempty_dim(self) && !wrong; ++d)
    wrong = d != dim && nonempty_size(index, d) > nonempty_size(self, d);
  if (!wrong && src) {
    FT_CHECK(nonempty_dim(*src) == nonempty_dim(index),
             "Index tensor must have the same number of dimensions as src tensor");
    for (int64_t d = 0; d < nonempty_dim(self) && !wrong; ++d) wrong = nonempty_size(index, d) > nonempty_size(*src, d);
  }
  if (src)
    FT_CHECK(!wrong, "Expected index ", shape_str(index.sizes()), " to be smaller than self ", shape_str(self.sizes()),
             " apart from dimension ", dim, " and to be smaller size than src ", shape_str(src->sizes()));
  FT_CHECK(!wrong, "Expected index ", shape_str(index.sizes()), " to be smaller than self ", shape_str(self.sizes()),
           " apart from dimension ", dim);
}

namespace {

[[noreturn]] void dim_index_error(int64_t i, int64_t dim, int64_t size) {
  detail::throw_error(ErrorKind::Runtime,
                      detail::str_cat("index ", i, " is out of bounds for dimension ", dim, " with size ", size));
}

struct MaxOp {  // NaN in either operand wins, as ATen's ReduceMaximum
  template <typename T> void operator()(T& d, const T& s) const {
    if constexpr (std::is_floating_point_v<T>) d = std::isnan(s) ? s : (d < s ? s : d);
    else d = d < s ? s : d;
  }
};
struct MinOp {
  template <typename T> void operator()(T& d, const T& s) const {
    if constexpr (std::is_floating_point_v<T>) d = std::isnan(s) ? s : (s < d ? s : d);
    else d = s < d ? s : d;
  }
};

template <typename F>
void with_reduce_op(Reduce r, F f) {
  switch (r) {
    case Reduce::None: f(kernels::AssignOp{}); break;
    case Reduce::Sum: case Reduce::Mean: f(kernels::AddOp{}); break;
    case Reduce::Prod: f(kernels::MulOp{}); break;
    case Reduce::Amax: f(MaxOp{}); break;
    case Reduce::Amin: f(MinOp{}); break;
  }
}

}  // namespace

void scatter_into(Tensor& self, int64_t dim, const Tensor& index, const Tensor* src, const Scalar& value, Reduce r) {
  if (index.numel() == 0) return;
  if (!src) ops::check_scalar_fits(value, self.dtype());  // ATen's value.to<scalar_t>() in the kernel
  autograd::NoGradGuard ng;
  Tensor v = src ? *src : scalar_tensor(value, self.dtype());
  const DimVector shape = nonempty_sizes(index);
  const DimVector vst = src ? nonempty_strides(v) : DimVector(shape.size(), 0);
  const int64_t size = nonempty_size(self, dim);
  FT_DISPATCH_EVERY(self.dtype(), "scatter", [&] {
    using T = scalar_t;
    auto run = [&](auto op) {
      kernels::index_dim_loop<true>(shape, self.data_ptr<T>(), nonempty_strides(self, dim), v.data_ptr<T>(), vst,
                                    index.data_ptr<int64_t>(), nonempty_strides(index), size,
                                    nonempty_stride(self, dim), false, op,
                                    [&](int64_t i) { dim_index_error(i, dim, size); });
    };
    if (r == Reduce::None && hardened::active()) {
      std::vector<std::pair<const void*, T>> writes;
      run(RecordWrites<T>{&writes});
      report_write_conflicts("scatter", writes);
    }
    with_reduce_op(r, run);
  });
}

namespace {

Tensor gather_compute(const Tensor& self, int64_t dim, const Tensor& index) {
  autograd::NoGradGuard ng;
  const int64_t d = maybe_wrap_dim(dim, self.dim());
  scatter_gather_dtype_check("gather", self, index, nullptr);
  if (index.numel() != 0) gather_shape_check(self, d, index);
  Tensor out = empty(index.sizes(), self.dtype());
  if (index.numel() == 0) return out;
  const DimVector shape = nonempty_sizes(index);
  const int64_t size = nonempty_size(self, d);
  FT_DISPATCH_EVERY(self.dtype(), "gather", [&] {
    using T = scalar_t;
    kernels::index_dim_loop<false>(shape, out.data_ptr<T>(), contiguous_strides(shape), self.data_ptr<T>(),
                                   nonempty_strides(self, d), index.data_ptr<int64_t>(), nonempty_strides(index),
                                   size, nonempty_stride(self, d), false, kernels::AssignOp{},
                                   [&](int64_t i) { dim_index_error(i, d, size); });
  });
  return out;
}

Reduce parse_scatter_reduce(std::string_view s) {
  if (s == "add") return Reduce::Sum;
  if (s == "multiply") return Reduce::Prod;
  FT_ERROR("reduce argument must be either add or multiply.");
}

Reduce parse_scatter_reduce_two(std::string_view s) {
  if (s == "sum") return Reduce::Sum;
  if (s == "prod") return Reduce::Prod;
  if (s == "mean") return Reduce::Mean;
  if (s == "amax") return Reduce::Amax;
  if (s == "amin") return Reduce::Amin;
  FT_ERROR("reduce argument must be either sum, prod, mean, amax or amin, got ", s);
}

// The whole scatter family out of place: self cloned, then written.
Tensor scatter_compute(const char* name, const Tensor& self, int64_t dim, const Tensor& index, const Tensor* src,
                       const Scalar& value, Reduce r) {
  autograd::NoGradGuard ng;
  const int64_t d = maybe_wrap_dim(dim, self.dim());
  scatter_gather_dtype_check(name, self, index, src);
  scatter_shape_check(self, d, index, src);
  Tensor out = self.clone();
  scatter_into(out, d, index, src, value, r);
  return out;
}

// scatter_reduce.two: without include_self the scattered-to positions start
// from the reduction's identity; mean divides by the count of contributions
// (plus one for self), floor division for integers.
Tensor scatter_reduce_compute(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, Reduce r,
                              bool include_self) {
  autograd::NoGradGuard ng;
  const int64_t d = maybe_wrap_dim(dim, self.dim());
  scatter_gather_dtype_check("scatter_reduce", self, index, &src);
  scatter_shape_check(self, d, index, &src);
  if (r == Reduce::Mean && self.dtype() == DType::Bool)
    detail::throw_error(ErrorKind::NotImplemented,
                        "\"scatter_gather_tensor_cpu_reduce_mean\" not implemented for 'Bool'");
  Tensor out = self.clone();
  if (index.numel() == 0) return out;
  if (!include_self) {
    Scalar init = 0;
    FT_DISPATCH_EVERY(self.dtype(), "scatter_reduce", [&] {
      using T = scalar_t;
      if constexpr (std::is_same_v<T, bool>) {
        init = r == Reduce::Prod || r == Reduce::Amin;
      } else if constexpr (is_float_v<T>) {  // Half/BFloat16 included
        init = r == Reduce::Prod ? 1.0 : r == Reduce::Amax ? -INFINITY : r == Reduce::Amin ? INFINITY : 0.0;
      } else if constexpr (std::is_integral_v<T>) {
        init = int64_t(r == Reduce::Prod ? T(1) : r == Reduce::Amax ? std::numeric_limits<T>::lowest()
                                                   : r == Reduce::Amin ? std::numeric_limits<T>::max() : T(0));
      }
    });
    scatter_into(out, d, index, nullptr, init, Reduce::None);
  }
  scatter_into(out, d, index, &src, 0, r);
  if (r == Reduce::Mean) {
    Tensor count = include_self ? ones(out.sizes(), out.dtype()) : zeros(out.sizes(), out.dtype());
    scatter_into(count, d, index, nullptr, 1, Reduce::Sum);
    count = count.masked_fill(count.eq(0), 1);
    out = out.is_floating_point() ? ft::div(out, count) : ft::div(out, count, "floor");
  }
  return out;
}

}  // namespace
}  // namespace index_detail

using index_detail::Reduce;
using index_detail::scatter_compute;

// ---- gather ------------------------------------------------------------------------------------
Tensor gather(const Tensor& self, int64_t dim, const Tensor& index, bool sparse_grad) {
  FT_OP_SCOPE("gather");
  FT_CHECK(!sparse_grad, "gather(): sparse_grad=True is not supported by FrankenTorch (no sparse tensors)");
  Tensor out = index_detail::gather_compute(self, dim, index);
  autograd::record_gather(self, maybe_wrap_dim(dim, self.dim()), index, out);
  return out;
}
Tensor& gather_out(Tensor& out, const Tensor& self, int64_t dim, const Tensor& index, bool sparse_grad) {
  FT_OP_SCOPE("gather");
  return index_detail::structured_out("gather", out, {&self},
                                      [&] { return ft::gather(self, dim, index, sparse_grad); });
}
Tensor Tensor::gather(int64_t dim, const Tensor& index, bool sparse_grad) const {
  return ft::gather(*this, dim, index, sparse_grad);
}

// ---- scatter -----------------------------------------------------------------------------------
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  FT_OP_SCOPE("scatter");
  Tensor out = scatter_compute("scatter", self, dim, index, &src, 0, Reduce::None);
  autograd::record_scatter(self, maybe_wrap_dim(dim, self.dim()), index, &src, out);
  return out;
}
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value) {
  FT_OP_SCOPE("scatter");
  Tensor out = scatter_compute("scatter", self, dim, index, nullptr, value, Reduce::None);
  autograd::record_scatter(self, maybe_wrap_dim(dim, self.dim()), index, nullptr, out);
  return out;
}
// reduce= forms: 1.13 has no derivative (backward raises).
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, std::string_view reduce) {
  FT_OP_SCOPE("scatter");
  Reduce r = index_detail::parse_scatter_reduce(reduce);
  Tensor out = scatter_compute("scatter", self, dim, index, &src, 0, r);
  autograd::record_not_implemented(self, "scatter", out);
  return out;
}
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value, std::string_view reduce) {
  FT_OP_SCOPE("scatter");
  Reduce r = index_detail::parse_scatter_reduce(reduce);
  Tensor out = scatter_compute("scatter", self, dim, index, nullptr, value, r);
  autograd::record_not_implemented(self, "scatter", out);
  return out;
}
Tensor& scatter_out(Tensor& out, const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  FT_OP_SCOPE("scatter");
  return index_detail::structured_out("scatter", out, {&self, &src}, [&] { return ft::scatter(self, dim, index, src); });
}
Tensor& scatter_out(Tensor& out, const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value) {
  FT_OP_SCOPE("scatter");
  return index_detail::structured_out("scatter", out, {&self}, [&] { return ft::scatter(self, dim, index, value); });
}
Tensor Tensor::scatter(int64_t dim, const Tensor& index, const Tensor& src) const {
  return ft::scatter(*this, dim, index, src);
}
Tensor Tensor::scatter(int64_t dim, const Tensor& index, const Scalar& value) const {
  return ft::scatter(*this, dim, index, value);
}
Tensor Tensor::scatter(int64_t dim, const Tensor& index, const Tensor& src, std::string_view reduce) const {
  return ft::scatter(*this, dim, index, src, reduce);
}
Tensor Tensor::scatter(int64_t dim, const Tensor& index, const Scalar& value, std::string_view reduce) const {
  return ft::scatter(*this, dim, index, value, reduce);
}

// In place: the checks first (on self itself), then a direct write unless
// autograd tracks the write.
#define FT_SCATTER_INPLACE(NAME, SRC, FUNCTIONAL, REDUCE)                                                      \
  const int64_t d = maybe_wrap_dim(dim, this->dim());                                                         \
  index_detail::scatter_gather_dtype_check(NAME, *this, index, SRC);                                          \
  index_detail::scatter_shape_check(*this, d, index, SRC);                                                    \
  return index_detail::inplace_or_direct(                                                                     \
      *this, {&index}, [&](const Tensor& s) { return FUNCTIONAL; },                                           \
      [&](Tensor& self) { index_detail::scatter_into(self, d, index, SRC, value_, REDUCE); });

Tensor& Tensor::scatter_(int64_t dim, const Tensor& index, const Tensor& src) {
  FT_OP_SCOPE("scatter_");
  const Scalar value_ = 0;
  FT_SCATTER_INPLACE("scatter", &src, ft::scatter(s, dim, index, src), Reduce::None)
}
Tensor& Tensor::scatter_(int64_t dim, const Tensor& index, const Scalar& value) {
  FT_OP_SCOPE("scatter_");
  const Scalar& value_ = value;
  FT_SCATTER_INPLACE("scatter", nullptr, ft::scatter(s, dim, index, value), Reduce::None)
}
Tensor& Tensor::scatter_(int64_t dim, const Tensor& index, const Tensor& src, std::string_view reduce) {
  FT_OP_SCOPE("scatter_");
  const Scalar value_ = 0;
  Reduce r = index_detail::parse_scatter_reduce(reduce);
  FT_SCATTER_INPLACE("scatter", &src, ft::scatter(s, dim, index, src, reduce), r)
}
Tensor& Tensor::scatter_(int64_t dim, const Tensor& index, const Scalar& value, std::string_view reduce) {
  FT_OP_SCOPE("scatter_");
  const Scalar& value_ = value;
  Reduce r = index_detail::parse_scatter_reduce(reduce);
  FT_SCATTER_INPLACE("scatter", nullptr, ft::scatter(s, dim, index, value, reduce), r)
}

// ---- scatter_add ---------------------------------------------------------------------------------
Tensor scatter_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  FT_OP_SCOPE("scatter_add");
  Tensor out = scatter_compute("scatter_add", self, dim, index, &src, 0, Reduce::Sum);
  autograd::record_scatter_add(self, maybe_wrap_dim(dim, self.dim()), index, src, out);
  return out;
}
Tensor& scatter_add_out(Tensor& out, const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  FT_OP_SCOPE("scatter_add");
  return index_detail::structured_out("scatter_add", out, {&self, &src},
                                      [&] { return ft::scatter_add(self, dim, index, src); });
}
Tensor Tensor::scatter_add(int64_t dim, const Tensor& index, const Tensor& src) const {
  return ft::scatter_add(*this, dim, index, src);
}
Tensor& Tensor::scatter_add_(int64_t dim, const Tensor& index, const Tensor& src) {
  FT_OP_SCOPE("scatter_add_");
  const Scalar value_ = 0;
  FT_SCATTER_INPLACE("scatter_add", &src, ft::scatter_add(s, dim, index, src), Reduce::Sum)
}
#undef FT_SCATTER_INPLACE

// ---- scatter_reduce ------------------------------------------------------------------------------
Tensor scatter_reduce(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
                      std::string_view reduce, bool include_self) {
  FT_OP_SCOPE("scatter_reduce");
  Reduce r = index_detail::parse_scatter_reduce_two(reduce);
  Tensor out = index_detail::scatter_reduce_compute(self, dim, index, src, r, include_self);
  autograd::record_scatter_reduce(self, maybe_wrap_dim(dim, self.dim()), index, src, int(r), include_self, out);
  return out;
}
Tensor& scatter_reduce_out(Tensor& out, const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
                           std::string_view reduce, bool include_self) {
  FT_OP_SCOPE("scatter_reduce");
  return index_detail::structured_out("scatter_reduce", out, {&self, &src},
                                      [&] { return ft::scatter_reduce(self, dim, index, src, reduce, include_self); });
}
Tensor Tensor::scatter_reduce(int64_t dim, const Tensor& index, const Tensor& src, std::string_view reduce,
                              bool include_self) const {
  return ft::scatter_reduce(*this, dim, index, src, reduce, include_self);
}
Tensor& Tensor::scatter_reduce_(int64_t dim, const Tensor& index, const Tensor& src, std::string_view reduce,
                                bool include_self) {
  FT_OP_SCOPE("scatter_reduce_");
  return ops::inplace(*this, {&index, &src},
                      [&](const Tensor& s) { return ft::scatter_reduce(s, dim, index, src, reduce, include_self); });
}

// ---- take_along_dim (composite, as ATen: broadcast, then gather) ---------------------------------------
namespace {
Tensor take_along_dim_impl(const Tensor& self, const Tensor& indices, std::optional<int64_t> dim) {
  if (!dim) return self.view({-1}).gather(0, indices.view({-1}));  // view: a non-viewable self raises, as in ATen
  FT_CHECK(self.dim() == indices.dim(), "torch.take_along_dim(): input and indices should have the same number of ",
           "dimensions, but got ", self.dim(), " dimensions for input, and ", indices.dim(), " dimensions for indices");
  FT_CHECK(indices.dtype() == DType::Int64, "torch.take_along_dim(): dtype of indices should be Long but got ",
           dtype_torch_name(indices.dtype()));
  const int64_t d = maybe_wrap_dim(*dim, self.dim(), /*wrap_scalar=*/false);
  // Each side takes the other's sizes except along dim.
  DimVector self_sizes(self.sizes()), idx_sizes(indices.sizes());
  self_sizes[size_t(d)] = indices.size(d);
  const DimVector idx_target = broadcast_shapes(self_sizes, indices.sizes());
  idx_sizes[size_t(d)] = self.size(d);
  const DimVector self_target = broadcast_shapes(idx_sizes, self.sizes());
  return self.expand(self_target).gather(d, indices.expand(idx_target));
}
}  // namespace

Tensor take_along_dim(const Tensor& self, const Tensor& indices, std::optional<int64_t> dim) {
  FT_OP_SCOPE("take_along_dim");
  return take_along_dim_impl(self, indices, dim);
}
Tensor& take_along_dim_out(Tensor& out, const Tensor& self, const Tensor& indices, std::optional<int64_t> dim) {
  FT_OP_SCOPE("take_along_dim");
  return index_detail::structured_out("take_along_dim", out, {&self},
                                      [&] { return take_along_dim_impl(self, indices, dim); });
}
Tensor Tensor::take_along_dim(const Tensor& indices, std::optional<int64_t> dim) const {
  return ft::take_along_dim(*this, indices, dim);
}

}  // namespace ft
