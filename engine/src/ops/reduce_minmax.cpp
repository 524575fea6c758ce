// amax/amin, max/min (all, and per dim with indices), argmax/argmin, aminmax,
// median (all, and per dim with indices).
// Kernels: kernels/cpu/reduce_select.h; backward: derivatives_reduce.cpp.
#include <algorithm>
#include <limits>
#include <numeric>
#include <tuple>

#include "../autograd/record.h"
#include "../kernels/cpu/reduce_all_extremum.h"
#include "../kernels/cpu/reduce_select.h"
#include "op_helpers.h"

namespace ft {
namespace {

// PyTorch's zero_numel_check_dims: an extremum has no identity, so every
// reduced dim must be non-empty (all dims: the tensor must be non-empty).
void check_nonempty_reduction(const Tensor& a, IntArrayRef dims, const char* op) {
  if (dims.empty()) {
    FT_CHECK(a.numel() != 0, op, "(): Expected reduction dim to be specified for input.numel() == 0. ",
             "Specify the reduction dim with the 'dim' argument.");
    return;
  }
  for (int64_t d : dims) {
    if (a.dim() == 0) continue;
    int64_t w = maybe_wrap_dim(d, a.dim());
    FT_CHECK_INDEX(a.size(w) != 0, op, "(): Expected reduction dim ", w, " to have non-zero size.");
  }
}

// Values (and optionally indices) of the extremum over `mask`, keepdim shape.
template <bool IsMax>
std::tuple<Tensor, Tensor> select_compute(const Tensor& a, uint64_t mask, bool keepdim, bool want_values,
                                          bool want_indices, const char* op) {
  autograd::NoGradGuard ng;
  kernels::Rows rows = kernels::to_rows(a, mask);
  DimVector shape = ops::reduced_shape(a.sizes(), mask, keepdim);
  Tensor vals = want_values ? empty(shape, a.dtype()) : Tensor();
  Tensor idx = want_indices ? empty(shape, DType::Int64) : Tensor();
  if (rows.m * rows.k == 0) return {vals, idx};
  auto run = [&](auto tag) {
    using T = decltype(tag);
    kernels::select_rows<T, IsMax>(rows.data.data_ptr<T>(), rows.m, rows.k, vals.defined() ? vals.data_ptr<T>() : nullptr,
                                   idx.defined() ? idx.data_ptr<int64_t>() : nullptr);
  };
  if (want_values) {
    FT_DISPATCH_EVERY(a.dtype(), op, [&] { run(scalar_t{}); });
  } else {
    FT_DISPATCH_ALL_AND2(a.dtype(), op, [&] { run(scalar_t{}); });
  }
  return {vals, idx};
}

template <bool IsMax>
Tensor amax_impl(const Tensor& a, IntArrayRef dims, bool keepdim, const char* op) {
  uint64_t mask = ops::reduce_dim_mask(dims, a.dim(), op);
  check_nonempty_reduction(a, dims, op);
  Tensor out = std::get<0>(select_compute<IsMax>(a, mask, keepdim, true, false, op));
  autograd::record_amax_like(a, mask, keepdim, out, IsMax ? "AmaxBackward0" : "AminBackward0");
  return out;
}

// The extremum of every element (a non-empty input), 0-dim. Floating
// dtypes: which zero wins a tie follows NOTE [ Full max and min ].
template <bool IsMax>
Tensor full_extremum(const Tensor& a, const char* op) {
  if (!is_floating(a.dtype()))
    return std::get<0>(select_compute<IsMax>(a, ops::reduce_dim_mask({}, a.dim(), op), false, true, false, op));
  autograd::NoGradGuard ng;
  Tensor c = a.contiguous();
  Tensor out = empty({}, a.dtype());
  FT_DISPATCH_FLOATING_AND2(a.dtype(), op, [&] {
    *out.data_ptr<scalar_t>() = kernels::reduce_all_extremum<scalar_t, IsMax>(c.data_ptr<scalar_t>(), c.numel());
  });
  return out;
}

template <bool IsMax>
Tensor max_all_impl(const Tensor& a, const char* op) {
  check_nonempty_reduction(a, {}, op);
  Tensor out = full_extremum<IsMax>(a, op);
  autograd::record_evenly(a, out, IsMax ? "MaxBackward1" : "MinBackward1");
  return out;
}

template <bool IsMax>
std::tuple<Tensor, Tensor> max_dim_impl(const Tensor& a, int64_t dim, bool keepdim, const char* op) {
  uint64_t mask = kernels::dim_bit(dim, a.dim());
  int64_t d = maybe_wrap_dim(dim, a.dim());
  check_nonempty_reduction(a, {d}, op);
  auto [v, i] = select_compute<IsMax>(a, mask, keepdim, true, true, op);
  autograd::record_select(a, d, keepdim, v, i, IsMax ? "MaxBackward0" : "MinBackward0");
  return {v, i};
}

template <bool IsMax>
Tensor argmax_impl(const Tensor& a, std::optional<int64_t> dim, bool keepdim, const char* op) {
  const char* kname = IsMax ? "argmax_cpu" : "argmin_cpu";
  if (!dim) {
    FT_CHECK_INDEX(a.numel() != 0, op, "(): Expected reduction dim to be specified for input.numel() == 0.");
    FT_CHECK_KIND(ErrorKind::NotImplemented, a.dtype() != DType::Bool, "\"", kname, "\" not implemented for 'Bool'");
    Tensor flat = a.reshape({-1});
    Tensor idx = std::get<1>(select_compute<IsMax>(flat, 1, false, false, true, kname));
    if (keepdim) idx = idx.view(DimVector(size_t(a.dim()), 1));
    return idx;
  }
  int64_t d = maybe_wrap_dim(*dim, a.dim());
  check_nonempty_reduction(a, {d}, op);
  // A trivial reduction (length 1 along dim, or an empty result) runs no
  // kernel in PyTorch, so even bool inputs give index 0 there.
  if (a.dim() > 0 && (a.size(d) == 1 || a.numel() == 0)) {
    return zeros(ops::reduced_shape(a.sizes(), kernels::dim_bit(d, a.dim()), keepdim), DType::Int64);
  }
  return std::get<1>(select_compute<IsMax>(a, kernels::dim_bit(d, a.dim()), keepdim, false, true, kname));
}

}  // namespace

Tensor amax(const Tensor& a, IntArrayRef dims, bool keepdim) { FT_OP_SCOPE("amax"); return amax_impl<true>(a, dims, keepdim, "amax"); }
Tensor amin(const Tensor& a, IntArrayRef dims, bool keepdim) { FT_OP_SCOPE("amin"); return amax_impl<false>(a, dims, keepdim, "amin"); }
Tensor& amax_out(Tensor& out, const Tensor& a, IntArrayRef dims, bool keepdim) {
  FT_OP_SCOPE("amax");
  FT_CHECK(out.dtype() == a.dtype(), "Expected the dtype for input and out to match, but got ",
           dtype_torch_name(a.dtype()), " for input's dtype and ", dtype_torch_name(out.dtype()), " for out's dtype.");
  autograd::NoGradGuard ng;
  return ops::write_out(out, amax_impl<true>(a, dims, keepdim, "amax"));
}
Tensor& amin_out(Tensor& out, const Tensor& a, IntArrayRef dims, bool keepdim) {
  FT_OP_SCOPE("amin");
  FT_CHECK(out.dtype() == a.dtype(), "Expected the dtype for input and out to match, but got ",
           dtype_torch_name(a.dtype()), " for input's dtype and ", dtype_torch_name(out.dtype()), " for out's dtype.");
  autograd::NoGradGuard ng;
  return ops::write_out(out, amax_impl<false>(a, dims, keepdim, "amin"));
}

Tensor max(const Tensor& a) { FT_OP_SCOPE("max"); return max_all_impl<true>(a, "max"); }
Tensor min(const Tensor& a) { FT_OP_SCOPE("min"); return max_all_impl<false>(a, "min"); }
std::tuple<Tensor, Tensor> max(const Tensor& a, int64_t dim, bool keepdim) {
  FT_OP_SCOPE("max");
  return max_dim_impl<true>(a, dim, keepdim, "max");
}
std::tuple<Tensor, Tensor> min(const Tensor& a, int64_t dim, bool keepdim) {
  FT_OP_SCOPE("min");
  return max_dim_impl<false>(a, dim, keepdim, "min");
}

Tensor argmax(const Tensor& a, std::optional<int64_t> dim, bool keepdim) {
  FT_OP_SCOPE("argmax");
  return argmax_impl<true>(a, dim, keepdim, "argmax");
}
Tensor argmin(const Tensor& a, std::optional<int64_t> dim, bool keepdim) {
  FT_OP_SCOPE("argmin");
  return argmax_impl<false>(a, dim, keepdim, "argmin");
}
Tensor& argmax_out(Tensor& out, const Tensor& a, std::optional<int64_t> dim, bool keepdim) {
  FT_OP_SCOPE("argmax");
  return ops::write_out(out, argmax_impl<true>(a, dim, keepdim, "argmax"));
}
Tensor& argmin_out(Tensor& out, const Tensor& a, std::optional<int64_t> dim, bool keepdim) {
  FT_OP_SCOPE("argmin");
  return ops::write_out(out, argmax_impl<false>(a, dim, keepdim, "argmin"));
}

// aminmax: (min, max); 1.13 has no derivative for it (backward raises), so
// nothing is recorded.
std::tuple<Tensor, Tensor> aminmax(const Tensor& a, std::optional<int64_t> dim, bool keepdim) {
  FT_OP_SCOPE("aminmax");
  uint64_t mask;
  if (dim) {
    int64_t d = maybe_wrap_dim(*dim, a.dim());
    FT_CHECK_INDEX(a.dim() == 0 || a.size(d) != 0, "aminmax(): Expected reduction dim ", d, " to have non-zero size.");
    mask = kernels::dim_bit(d, a.dim());
  } else {
    FT_CHECK(a.numel() != 0,
             "aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity.");
    mask = ops::reduce_dim_mask({}, a.dim(), "aminmax");
  }
  // 1.13's aminmax kernels take no Half; BFloat16 only in the all-reduce one.
  FT_CHECK_KIND(ErrorKind::NotImplemented, a.dtype() != DType::Float16 && !(dim && a.dtype() == DType::BFloat16),
                "\"aminmax_cpu\" not implemented for '", dtype_torch_name(a.dtype()), "'");
  Tensor mn, mx;
  if (!dim) {  // the all-reduce kernel: max()'s lane order (NOTE [ Full max and min ])
    DimVector shape = ops::reduced_shape(a.sizes(), mask, keepdim);
    mn = full_extremum<false>(a, "aminmax_cpu").view(shape);
    mx = full_extremum<true>(a, "aminmax_cpu").view(shape);
  } else {
    mn = std::get<0>(select_compute<false>(a, mask, keepdim, true, false, "aminmax_cpu"));
    mx = std::get<0>(select_compute<true>(a, mask, keepdim, true, false, "aminmax_cpu"));
  }
  if (dim && keepdim && a.dim() == 0) {  // 1.13 resizes the 0-dim keepdim result to [1]
    mn = mn.view({1});
    mx = mx.view({1});
  }
  return {mn, mx};
}

// median(): the lower median ((n-1)/2-th smallest); NaN if any NaN. An empty
// input gives NaN (cast to T: the most negative integer for integer dtypes,
// as PyTorch's NaN fill converts).
Tensor median(const Tensor& a) {
  FT_OP_SCOPE("median");
  Tensor out;
  {
    autograd::NoGradGuard ng;
    kernels::Rows rows = kernels::to_rows(a, ops::reduce_dim_mask({}, a.dim(), "median"));
    out = empty({}, a.dtype());
    // An empty input never reaches PyTorch's dispatch: NaN cast to the dtype
    // (true for bool).
    if (a.numel() == 0 && a.dtype() == DType::Bool) *out.data_ptr<bool>() = true;
    else if (a.numel() == 0 && a.dtype() == DType::Float16) out.fill_(NAN);
    else FT_DISPATCH_ALL_AND_BF16(a.dtype(), "median_cpu", [&] {
      using T = scalar_t;
      using O = opmath_t<T>;
      T* o = out.data_ptr<T>();
      if (a.numel() == 0) {
        // NaN converts to int32's min (x86's "integer indefinite"), which
        // int8/int16 then truncate to 0.
        if constexpr (is_float_v<T>) *o = T(std::numeric_limits<O>::quiet_NaN());
        else *o = sizeof(T) < 4 ? T(0) : std::numeric_limits<T>::min();
        return;
      }
      const T* x = rows.data.data_ptr<T>();
      std::vector<T> v(x, x + a.numel());
      if (std::any_of(v.begin(), v.end(), [](T e) { return kernels::is_nan_v(e); })) {
        if constexpr (is_float_v<T>) *o = T(std::numeric_limits<O>::quiet_NaN());
        return;
      }
      auto nth = v.begin() + (int64_t(v.size()) - 1) / 2;
      std::nth_element(v.begin(), nth, v.end(), [](T p, T q) { return O(p) < O(q); });
      *o = *nth;
    });
  }
  autograd::record_evenly(a, out, "MedianBackward0");
  return out;
}

// median(dim): the first NaN if any; else the (k-1)/2-th element in
// (value, index) order, which fixes the index among equal values (PyTorch's
// comparator is that same total order).
std::tuple<Tensor, Tensor> median(const Tensor& a, int64_t dim, bool keepdim) {
  FT_OP_SCOPE("median");
  int64_t d = maybe_wrap_dim(dim, a.dim());
  FT_CHECK_INDEX(a.dim() == 0 || a.size(d) != 0, "median(): Expected reduction dim ", d, " to have non-zero size.");
  uint64_t mask = kernels::dim_bit(d, a.dim());
  Tensor vals, idx;
  {
    autograd::NoGradGuard ng;
    kernels::Rows rows = kernels::to_rows(a, mask);
    DimVector shape = ops::reduced_shape(a.sizes(), mask, keepdim);
    vals = empty(shape, a.dtype());
    idx = empty(shape, DType::Int64);
    FT_DISPATCH_ALL_AND_BF16(a.dtype(), "median_out", [&] {
      using T = scalar_t;
      if (rows.m * rows.k == 0) return;
      const T* x = rows.data.data_ptr<T>();
      T* vp = vals.data_ptr<T>();
      int64_t* ip = idx.data_ptr<int64_t>();
      std::vector<int64_t> order(size_t(rows.k));
      for (int64_t i = 0; i < rows.m; ++i) {
        const T* r = x + i * rows.k;
        const T* nanp = std::find_if(r, r + rows.k, [](T e) { return kernels::is_nan_v(e); });
        if (nanp != r + rows.k) {
          vp[i] = *nanp;
          ip[i] = nanp - r;
          continue;
        }
        std::iota(order.begin(), order.end(), int64_t(0));
        auto nth = order.begin() + (rows.k - 1) / 2;
        std::nth_element(order.begin(), nth, order.end(),
                         [r](int64_t p, int64_t q) { return r[p] < r[q] || (r[p] == r[q] && p < q); });
        vp[i] = r[*nth];
        ip[i] = *nth;
      }
    });
  }
  autograd::record_select(a, d, keepdim, vals, idx, "MedianBackward1");
  return {vals, idx};
}

Tensor Tensor::median() const { return ft::median(*this); }
std::tuple<Tensor, Tensor> Tensor::median(int64_t dim, bool keepdim) const { return ft::median(*this, dim, keepdim); }

Tensor Tensor::amax(IntArrayRef dims, bool keepdim) const { return ft::amax(*this, dims, keepdim); }
Tensor Tensor::amin(IntArrayRef dims, bool keepdim) const { return ft::amin(*this, dims, keepdim); }
Tensor Tensor::max() const { return ft::max(*this); }
Tensor Tensor::min() const { return ft::min(*this); }
std::tuple<Tensor, Tensor> Tensor::max(int64_t dim, bool keepdim) const { return ft::max(*this, dim, keepdim); }
std::tuple<Tensor, Tensor> Tensor::min(int64_t dim, bool keepdim) const { return ft::min(*this, dim, keepdim); }
Tensor Tensor::argmax(std::optional<int64_t> dim, bool keepdim) const { return ft::argmax(*this, dim, keepdim); }
Tensor Tensor::argmin(std::optional<int64_t> dim, bool keepdim) const { return ft::argmin(*this, dim, keepdim); }
std::tuple<Tensor, Tensor> Tensor::aminmax(std::optional<int64_t> dim, bool keepdim) const {
  return ft::aminmax(*this, dim, keepdim);
}

}  // namespace ft
