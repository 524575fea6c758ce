// Reductions: sum and mean over a dim list (empty list = all dims), keepdim, dtype=.
#include <cmath>
#include <limits>

#include "../autograd/record.h"
#include "../kernels/cpu/reduce.h"
#include "op_helpers.h"

namespace ft {
namespace {

// Computes sum (or mean) with PyTorch's dtype rules; no autograd.
Tensor reduce_compute(const Tensor& a, uint64_t mask, bool keepdim, std::optional<DType> dtype, bool is_mean) {
  autograd::NoGradGuard ng;
  DType in_dt = dtype ? *dtype : a.dtype();
  if (is_mean) {
    FT_CHECK(is_floating(in_dt), "mean(): could not infer output dtype. ",
             dtype ? "Optional" : "Input", " dtype must be either a floating point or complex dtype. Got: ",
             dtype_torch_name(in_dt));
  }
  // sum over integers/bool accumulates in and returns int64 (unless dtype= given).
  DType out_dt = (!dtype && is_integral(in_dt, true)) ? DType::Int64 : in_dt;
  Tensor x = ops::cast_if_needed(a, dtype ? *dtype : (is_integral(in_dt, true) ? DType::Int64 : in_dt));
  DimVector keep_shape = ops::reduced_shape(a.sizes(), mask, /*keepdim=*/true);
  Tensor out = empty(keep_shape, out_dt);
  int64_t count = 1;
  for (int64_t d = 0; d < a.dim(); ++d)
    if (mask & (uint64_t(1) << d)) count *= a.sizes()[size_t(d)];
  FT_DISPATCH_ALL_AND2(x.dtype(), is_mean ? "mean_cpu" : "sum_cpu", [&] {
    using T = scalar_t;
    if constexpr (is_reduced_float_v<T>) {
      // Half/BFloat16 accumulate in float (acc_t), as libtorch's sum does; mean
      // is that sum rounded to T, then divided in float and rounded again
      // (libtorch: sum_out into the T result, then div_).
      using A = acc_t<T>;
      kernels::sum_reduce<T, A, T>(out, x, mask, [&](A acc) {
        return is_mean ? T(A(T(acc)) / A(count)) : T(acc);
      });
    } else if constexpr (std::is_floating_point_v<T>) {
      kernels::sum_reduce<T, double, T>(out, x, mask, [&](double acc) {
        // mean = sum rounded to T, then divided by n in T (as PyTorch's sum then div_).
        return is_mean ? T(T(acc) / T(count)) : T(acc);
      });
    } else {
      kernels::sum_reduce<T, int64_t, T>(out, x, mask, [](int64_t acc) { return T(acc); });
    }
  });
  if (!keepdim) out = out.view(ops::reduced_shape(a.sizes(), mask, false));
  return out;
}

}  // namespace

Tensor sum(const Tensor& a, IntArrayRef dims, bool keepdim, std::optional<DType> dtype) {
  FT_OP_SCOPE("sum");
  uint64_t mask = ops::reduce_dim_mask(dims, a.dim(), "sum");
  Tensor out = reduce_compute(a, mask, keepdim, dtype, false);
  autograd::record_sum(a, mask, keepdim, out, "SumBackward1");
  return out;
}
Tensor sum(const Tensor& a, std::optional<DType> dtype) {
  FT_OP_SCOPE("sum");
  uint64_t mask = ops::reduce_dim_mask({}, a.dim(), "sum");
  Tensor out = reduce_compute(a, mask, false, dtype, false);
  autograd::record_sum(a, mask, false, out, "SumBackward0");
  return out;
}

Tensor mean(const Tensor& a, IntArrayRef dims, bool keepdim, std::optional<DType> dtype) {
  FT_OP_SCOPE("mean");
  uint64_t mask = ops::reduce_dim_mask(dims, a.dim(), "mean");
  Tensor out = reduce_compute(a, mask, keepdim, dtype, true);
  autograd::record_mean(a, mask, keepdim, out, "MeanBackward1");
  return out;
}
Tensor mean(const Tensor& a, std::optional<DType> dtype) {
  FT_OP_SCOPE("mean");
  uint64_t mask = ops::reduce_dim_mask({}, a.dim(), "mean");
  Tensor out = reduce_compute(a, mask, false, dtype, true);
  autograd::record_mean(a, mask, false, out, "MeanBackward0");
  return out;
}

Tensor& sum_out(Tensor& out, const Tensor& a, IntArrayRef dims, bool keepdim, std::optional<DType> dtype) {
  FT_OP_SCOPE("sum");
  uint64_t mask = ops::reduce_dim_mask(dims, a.dim(), "sum");
  // sum(out=) computes in out's dtype when none is given (PyTorch: dtype = out.dtype).
  return ops::write_out(out, reduce_compute(a, mask, keepdim, dtype ? dtype : std::optional<DType>(out.dtype()), false));
}
Tensor& mean_out(Tensor& out, const Tensor& a, IntArrayRef dims, bool keepdim, std::optional<DType> dtype) {
  FT_OP_SCOPE("mean");
  uint64_t mask = ops::reduce_dim_mask(dims, a.dim(), "mean");
  return ops::write_out(out, reduce_compute(a, mask, keepdim, dtype ? dtype : std::optional<DType>(out.dtype()), true));
}

Tensor Tensor::sum(std::optional<DType> dtype) const { return ft::sum(*this, dtype); }
Tensor Tensor::sum(IntArrayRef dims, bool keepdim, std::optional<DType> dtype) const {
  return ft::sum(*this, dims, keepdim, dtype);
}
Tensor Tensor::mean(std::optional<DType> dtype) const { return ft::mean(*this, dtype); }
Tensor Tensor::mean(IntArrayRef dims, bool keepdim, std::optional<DType> dtype) const {
  return ft::mean(*this, dims, keepdim, dtype);
}

}  // namespace ft
