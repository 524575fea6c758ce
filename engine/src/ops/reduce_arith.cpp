// Arithmetic reductions: nansum, prod (all / dim), logsumexp, var/std
// (dim list + correction), linalg_vector_norm / norm. Kernels run over rows
// (NOTE [ Row reductions ] in kernels/cpu/reduce_rows.h); backward formulas
// in autograd/derivatives_reduce.cpp.
#include <cmath>
#include <limits>
#include <tuple>

#include "../autograd/record.h"
#include "../kernels/cpu/reduce_rows.h"
#include "../kernels/cpu/reduce.h"
#include "op_helpers.h"

namespace ft {
namespace {

// out (m) = f(row) for every row of `a` reduced over `mask`; keepdim shape.
template <typename T, typename R, typename F>
Tensor arith_rows(const Tensor& a, uint64_t mask, bool keepdim, DType out_dt, F f) {
  kernels::Rows rows = kernels::to_rows(a, mask);
  Tensor out = empty(ops::reduced_shape(a.sizes(), mask, keepdim), out_dt);
  const T* x = rows.data.data_ptr<T>();
  R* o = out.data_ptr<R>();
  for (int64_t i = 0; i < rows.m; ++i) o[i] = f(x + i * rows.k, rows.k);
  return out;
}

// Pairwise double sum of f(x_j) (the error of sum's kernel, see NOTE [ Deterministic reductions ]).
template <typename T, typename F>
double pairwise(const T* x, int64_t n, F f) {
  if (n > 256) return pairwise(x, n / 2, f) + pairwise(x + n / 2, n - n / 2, f);
  double acc = 0;
  for (int64_t i = 0; i < n; ++i) acc += f(x[i]);
  return acc;
}

// ---- nansum ------------------------------------------------------------------------
Tensor nansum_compute(const Tensor& a, uint64_t mask, bool keepdim, std::optional<DType> dtype) {
  autograd::NoGradGuard ng;
  DType dt = dtype ? *dtype : a.dtype();
  if (is_integral(a.dtype(), true) || is_integral(dt, true)) {
    // integers have no NaN: nansum is sum (PyTorch delegates); a float input
    // with an integer dtype= has no kernel.
    FT_CHECK(!is_floating(a.dtype()), "\"nansum_cpu\" not implemented for '", dtype_torch_name(dt), "'");
    DimVector dims;
    for (int64_t d = 0; d < a.dim(); ++d)
      if (mask & (uint64_t(1) << d)) dims.push_back(d);
    return sum(a, dims, keepdim, dtype);
  }
  // Half/BFloat16: the float kernel on the widened input, one rounding
  // (NOTE [ Half and BFloat16 kernels ]; libtorch accumulates them in float).
  if (dt == DType::Float16 || dt == DType::BFloat16)
    return nansum_compute(a.to(dt).to(DType::Float32), mask, keepdim, std::nullopt).to(dt);
  Tensor x = ops::cast_if_needed(a, dt);
  Tensor out;
  FT_DISPATCH_FLOATING(dt, "nansum_cpu", [&] {
    using T = scalar_t;
    out = arith_rows<T, T>(x, mask, keepdim, dt, [](const T* r, int64_t k) {
      return T(pairwise(r, k, [](T v) { return std::isnan(v) ? 0.0 : double(v); }));
    });
  });
  return out;
}

// ---- prod ----------------------------------------------------------------------------
// Sequential product in T (PyTorch multiplies in scalar_t; integers wrap,
// bool is a logical and). A template so that `if constexpr` discards.
template <typename T>
T prod_row(const T* r, int64_t k) {
  if constexpr (std::is_same_v<T, bool>) {
    bool acc = true;
    for (int64_t j = 0; j < k; ++j) acc = acc && r[j];
    return acc;
  } else if constexpr (std::is_integral_v<T>) {
    uint64_t acc = 1;
    for (int64_t j = 0; j < k; ++j) acc *= uint64_t(int64_t(r[j]));
    return T(int64_t(acc));
  } else {
    T acc = 1;
    for (int64_t j = 0; j < k; ++j) acc *= r[j];
    return acc;
  }
}

// ATen's order for a row contiguous in memory (binary_kernel_reduce_vec's
// vectorized_reduction, AVX2): blocks of 4 vectors of V lanes multiplied
// into 4 accumulators (lane by lane, the first block loaded as is), then
// (acc0 acc1)(acc2 acc3), the V lanes left to right, 1 * that, and the
// elements after the last whole block one by one. Where values overflow or
// underflow part way (1e200 next to 1e-310) the order decides the result.
template <typename T>
T prod_row_aten_vec(const T* r, int64_t k) {
  constexpr int64_t V = 32 / int64_t(sizeof(T)), B = 4 * V;
  const int64_t count = k / B;
  T out = 1;
  if (count > 0) {
    T acc[4][V];
    for (int64_t j = 0; j < 4; ++j)
      for (int64_t l = 0; l < V; ++l) acc[j][l] = r[j * V + l];
    for (int64_t i = 1; i < count; ++i)
      for (int64_t j = 0; j < 4; ++j)
        for (int64_t l = 0; l < V; ++l) acc[j][l] = acc[j][l] * r[i * B + j * V + l];
    T lane[V];
    for (int64_t l = 0; l < V; ++l) lane[l] = (acc[0][l] * acc[1][l]) * (acc[2][l] * acc[3][l]);
    T b = lane[0];
    for (int64_t l = 1; l < V; ++l) b = b * lane[l];
    out = out * b;
  }
  for (int64_t j = count * B; j < k; ++j) out = out * r[j];
  return out;
}

// Whether every row of the reduction is one contiguous run of memory in
// logical order (x contiguous, the reduced dims of size > 1 after all kept
// dims of size > 1): TensorIterator then reduces it as an inner row.
bool rows_are_inner(const Tensor& x, uint64_t mask) {
  if (!x.is_contiguous()) return false;
  bool seen_reduced = false;
  for (int64_t d = 0; d < x.dim(); ++d) {
    if (x.size(d) == 1) continue;
    const bool reduced = mask & (uint64_t(1) << d);
    if (!reduced && seen_reduced) return false;
    seen_reduced = seen_reduced || reduced;
  }
  return true;
}

Tensor prod_compute(const Tensor& a, uint64_t mask, bool keepdim, std::optional<DType> dtype) {
  autograd::NoGradGuard ng;
  DType dt = dtype ? *dtype : (is_integral(a.dtype(), true) ? DType::Int64 : a.dtype());
  // libtorch 1.13's prod kernel takes neither Half nor BFloat16.
  // (An empty input runs no kernel: ones or an empty result.)
  FT_CHECK_KIND(ErrorKind::NotImplemented, (dt != DType::Float16 && dt != DType::BFloat16) || a.numel() == 0,
                "\"prod_cpu\" not implemented for '", dtype_torch_name(dt), "'");
  if (a.numel() == 0 && (dt == DType::Float16 || dt == DType::BFloat16))
    return ones(ops::reduced_shape(a.sizes(), mask, keepdim), dt);
  Tensor x = ops::cast_if_needed(a, dt);
  Tensor out;
  FT_DISPATCH_ALL_AND_BOOL(dt, "prod_out_cpu", [&] {
    using T = scalar_t;
    if constexpr (std::is_floating_point_v<T>) {
      if (x.dim() > 0 && rows_are_inner(x, mask)) {
        out = arith_rows<T, T>(x, mask, keepdim, dt, [](const T* r, int64_t k) { return prod_row_aten_vec<T>(r, k); });
        return;
      }
    }
    out = arith_rows<T, T>(x, mask, keepdim, dt, [](const T* r, int64_t k) { return prod_row<T>(r, k); });
  });
  return out;
}

// ---- var / std ---------------------------------------------------------------------------
// As PyTorch 1.13 on CPU, in double, divisor max(0, n - correction) (n <=
// correction gives NaN or inf):
//  - a reduction to a single element (std_var_all_cpu): two passes, the mean
//    being mean() in T, then the squared deviations summed in double;
//  - otherwise Welford's update per row (WelfordOps), which keeps a constant
//    row's variance exactly 0 (std's gradient depends on that).
Tensor var_compute(const Tensor& a, uint64_t mask, int64_t correction, bool keepdim, bool take_sqrt) {
  autograd::NoGradGuard ng;
  FT_CHECK(is_floating(a.dtype()), "std and var only support floating point and complex dtypes");
  // Half/BFloat16 accumulate in double like float (WelfordOps); one rounding at the end.
  if (a.dtype() == DType::Float16 || a.dtype() == DType::BFloat16)
    return var_compute(a.to(DType::Float32), mask, correction, keepdim, take_sqrt).to(a.dtype());
  Tensor out;
  DimVector shape = ops::reduced_shape(a.sizes(), mask, keepdim);
  int64_t out_numel = 1;
  for (int64_t s : shape) out_numel *= s;
  const bool all_path = out_numel == 1 && a.numel() > 0;
  const double all_mean = all_path ? mean(a).to(DType::Float64).item<double>() : 0.0;
  FT_DISPATCH_FLOATING(a.dtype(), "std_var_cpu", [&] {
    using T = scalar_t;
    out = arith_rows<T, T>(a, mask, keepdim, a.dtype(), [&](const T* r, int64_t k) {
      if (k == 0) return std::numeric_limits<T>::quiet_NaN();
      double m2 = 0;
      if (all_path) {
        for (int64_t j = 0; j < k; ++j) {
          double d = double(r[j]) - all_mean;
          m2 += d * d;
        }
      } else {
        double mean_acc = 0;
        for (int64_t j = 0; j < k; ++j) {
          double xv = double(r[j]);
          double delta = xv - mean_acc;
          mean_acc = mean_acc + delta / double(j + 1);
          m2 = m2 + delta * (xv - mean_acc);
        }
      }
      double var = m2 / double(std::max<int64_t>(0, k - correction));
      return T(take_sqrt ? std::sqrt(var) : var);
    });
  });
  return out;
}

// ---- vector norms -------------------------------------------------------------------------
// Accumulated in T, as PyTorch's Norm*Ops (opmath of float is float):
// p=0 count of nonzeros, p=1 sum|x|, p=2 sqrt(sum x^2), +-inf max/min |x|
// (NaN propagates), otherwise (sum |x|^p)^(1/p).
Tensor vector_norm_compute(const Tensor& a, double p, uint64_t mask, bool keepdim, std::optional<DType> dtype,
                           const char* op, bool empty_inf_is_zero = false) {
  autograd::NoGradGuard ng;
  FT_CHECK(is_floating(a.dtype()), op, ": Expected a floating point or complex tensor as input. Got ",
           dtype_torch_name(a.dtype()));
  if (std::isinf(p) && a.numel() == 0 && !empty_inf_is_zero) {
    FT_CHECK(mask != 0 && a.dim() > 0 && [&] {
      for (int64_t d = 0; d < a.dim(); ++d)
        if ((mask & (uint64_t(1) << d)) && a.size(d) == 0) return false;
      return true;
    }(), op, " cannot compute the ", p > 0 ? "inf" : "-inf", " norm on an empty tensor because the operation does not have an identity");
  }
  DType dt = dtype ? *dtype : a.dtype();
  Tensor x = ops::cast_if_needed(a, dt);
  // Half/BFloat16: Norm*Ops accumulate in float (their opmath): the float kernel, one rounding.
  if (dt == DType::Float16 || dt == DType::BFloat16)
    return vector_norm_compute(x.to(DType::Float32), p, mask, keepdim, std::nullopt, op, empty_inf_is_zero).to(dt);
  Tensor out;
  FT_DISPATCH_FLOATING(dt, "linalg_vector_norm", [&] {
    using T = scalar_t;
    out = arith_rows<T, T>(x, mask, keepdim, dt, [p](const T* r, int64_t k) {
      T acc = 0;
      if (p == 0) {
        for (int64_t j = 0; j < k; ++j) acc += T(r[j] != T(0));
      } else if (p == 1) {
        for (int64_t j = 0; j < k; ++j) acc += std::abs(r[j]);
      } else if (p == 2) {
        for (int64_t j = 0; j < k; ++j) acc += r[j] * r[j];
        acc = std::sqrt(acc);
      } else if (std::isinf(p)) {
        acc = k ? std::abs(r[0]) : T(0);
        for (int64_t j = 1; j < k && !std::isnan(acc); ++j) {
          T v = std::abs(r[j]);
          if (std::isnan(v) || (p > 0 ? v > acc : v < acc)) acc = v;
        }
      } else {
        for (int64_t j = 0; j < k; ++j) acc += std::pow(std::abs(r[j]), T(p));
        acc = std::pow(acc, T(1.0 / p));
      }
      return acc;
    });
  });
  return out;
}

}  // namespace

// ---- public API ------------------------------------------------------------------------------
Tensor nansum(const Tensor& a, IntArrayRef dims, bool keepdim, std::optional<DType> dtype) {
  FT_OP_SCOPE("nansum");
  uint64_t mask = ops::reduce_dim_mask(dims, a.dim(), "nansum");
  Tensor out = nansum_compute(a, mask, keepdim, dtype);
  if (is_floating(out.dtype())) autograd::record_nansum(a, mask, keepdim, out);
  return out;
}
Tensor& nansum_out(Tensor& out, const Tensor& a, IntArrayRef dims, bool keepdim, std::optional<DType> dtype) {
  FT_OP_SCOPE("nansum");
  uint64_t mask = ops::reduce_dim_mask(dims, a.dim(), "nansum");
  return ops::write_out(out, nansum_compute(a, mask, keepdim, dtype ? dtype : std::optional<DType>(out.dtype())));
}

// Backward: prod_backward(grad, self.to(grad.dtype), result, ...): the node
// sits on the input cast to the result dtype (a recorded cast when dtype= differs).
Tensor prod(const Tensor& a, std::optional<DType> dtype) {
  FT_OP_SCOPE("prod");
  Tensor out = prod_compute(a, ops::reduce_dim_mask({}, a.dim(), "prod"), false, dtype);
  if (is_floating(out.dtype()) && is_floating(a.dtype()))
    autograd::record_prod(ops::cast_if_needed(a, out.dtype()), std::nullopt, false, out, "ProdBackward0");
  return out;
}
Tensor prod(const Tensor& a, int64_t dim, bool keepdim, std::optional<DType> dtype) {
  FT_OP_SCOPE("prod");
  uint64_t mask = kernels::dim_bit(dim, a.dim());
  Tensor out = prod_compute(a, mask, keepdim, dtype);
  if (is_floating(out.dtype()) && is_floating(a.dtype()))
    autograd::record_prod(ops::cast_if_needed(a, out.dtype()), dim, keepdim, out, "ProdBackward1");
  return out;
}
Tensor& prod_out(Tensor& out, const Tensor& a, int64_t dim, bool keepdim, std::optional<DType> dtype) {
  FT_OP_SCOPE("prod");
  uint64_t mask = kernels::dim_bit(dim, a.dim());
  return ops::write_out(out, prod_compute(a, mask, keepdim, dtype ? dtype : std::optional<DType>(out.dtype())));
}

// logsumexp = m + log(sum(exp(x - m))), m = amax(x) with +-inf replaced by 0
// (PyTorch 1.13's logsumexp_out_impl); integer inputs are computed in float32.
Tensor logsumexp(const Tensor& a, IntArrayRef dims, bool keepdim) {
  FT_OP_SCOPE("logsumexp");
  uint64_t mask = ops::reduce_dim_mask(dims, a.dim(), "logsumexp");
  // 1.13 quirk: an empty dim list reduces everything but sizes the result as
  // keepdim, so without keepdim a non-empty tensor of rank > 0 is refused.
  if (dims.empty() && !keepdim && a.dim() > 0 && a.numel() > 0) {
    std::string s = "[";
    for (int64_t d = 0; d < a.dim(); ++d) s += d ? ", 1" : "1";
    FT_CHECK(false, "output with shape [] doesn't match the broadcast shape ", s, "]");
  }
  Tensor x = is_integral(a.dtype(), true) ? a.to(DType::Float32) : a;
  Tensor out;
  {
    autograd::NoGradGuard ng;
    // BFloat16: computed in float, rounded once (libtorch rounds each step of
    // its composite to bfloat16: within a rounding of this). Half has no exp kernel.
    FT_CHECK_KIND(ErrorKind::NotImplemented, x.dtype() != DType::Float16, "\"exp_vml_cpu\" not implemented for 'Half'");
    if (x.dtype() == DType::BFloat16) out = logsumexp(x.to(DType::Float32), dims, keepdim).to(x.dtype());
    else FT_DISPATCH_FLOATING(x.dtype(), "logsumexp", [&] {
      using T = scalar_t;
      out = arith_rows<T, T>(x, mask, keepdim, x.dtype(), [](const T* r, int64_t k) {
        if (k == 0) return T(-std::numeric_limits<T>::infinity());
        T m = r[0];
        for (int64_t j = 1; j < k && !std::isnan(m); ++j)
          if (std::isnan(r[j]) || r[j] > m) m = r[j];
        if (std::isinf(m)) m = 0;
        double s = pairwise(r, k, [m](T v) { return double(T(std::exp(T(v - m)))); });
        return T(T(std::log(T(s))) + m);
      });
    });
  }
  autograd::record_logsumexp(x, mask, keepdim, out);
  return out;
}
Tensor& logsumexp_out(Tensor& out, const Tensor& a, IntArrayRef dims, bool keepdim) {
  FT_OP_SCOPE("logsumexp");
  autograd::NoGradGuard ng;
  return ops::write_out(out, logsumexp(a, dims, keepdim));
}

Tensor var(const Tensor& a, IntArrayRef dims, std::optional<int64_t> correction, bool keepdim) {
  FT_OP_SCOPE("var");
  uint64_t mask = ops::reduce_dim_mask(dims, a.dim(), "var");
  int64_t c = correction.value_or(1);
  Tensor out = var_compute(a, mask, c, keepdim, false);
  autograd::record_var_std(a, mask, c, keepdim, false, out, "VarBackward0", dims.empty());
  return out;
}
Tensor std(const Tensor& a, IntArrayRef dims, std::optional<int64_t> correction, bool keepdim) {
  FT_OP_SCOPE("std");
  uint64_t mask = ops::reduce_dim_mask(dims, a.dim(), "std");
  int64_t c = correction.value_or(1);
  Tensor out = var_compute(a, mask, c, keepdim, true);
  autograd::record_var_std(a, mask, c, keepdim, true, out, "StdBackward0", dims.empty());
  return out;
}
Tensor& var_out(Tensor& out, const Tensor& a, IntArrayRef dims, std::optional<int64_t> correction, bool keepdim) {
  FT_OP_SCOPE("var");
  autograd::NoGradGuard ng;
  return ops::write_out(out, var(a, dims, correction, keepdim));
}
Tensor& std_out(Tensor& out, const Tensor& a, IntArrayRef dims, std::optional<int64_t> correction, bool keepdim) {
  FT_OP_SCOPE("std");
  autograd::NoGradGuard ng;
  return ops::write_out(out, std(a, dims, correction, keepdim));
}

// var_mean / std_mean: PyTorch computes both with Welford's update in double
// (WelfordOps), visiting each row in order; reproduced here because the
// update decides where infinities turn into NaN (an inf followed by any other
// value gives a NaN mean). Backward: var/std's formula on output 0, mean's
// on output 1 (two nodes; the same gradients as PyTorch's single node).
std::tuple<Tensor, Tensor> var_mean_impl(const Tensor& a, IntArrayRef dims, std::optional<int64_t> correction,
                                         bool keepdim, bool take_sqrt, const char* op) {
  FT_OP_SCOPE(op);
  FT_CHECK(is_floating(a.dtype()), "std and var only support floating point and complex dtypes");
  uint64_t mask = ops::reduce_dim_mask(dims, a.dim(), op);
  int64_t c = correction.value_or(1);
  Tensor v, m;
  {
    autograd::NoGradGuard ng;
    // Half/BFloat16: the same double Welford on the widened input, one rounding.
    const bool reduced = a.dtype() == DType::Float16 || a.dtype() == DType::BFloat16;
    const Tensor src = reduced ? a.to(DType::Float32) : a;
    kernels::Rows rows = kernels::to_rows(src, mask);
    DimVector shape = ops::reduced_shape(a.sizes(), mask, keepdim);
    v = empty(shape, src.dtype());
    m = empty(shape, src.dtype());
    FT_DISPATCH_FLOATING(src.dtype(), "std_var_mean", [&] {
      using T = scalar_t;
      const T* x = rows.m * rows.k != 0 ? rows.data.data_ptr<T>() : nullptr;
      for (int64_t i = 0; i < rows.m; ++i) {
        double mean = 0, m2 = 0;
        for (int64_t j = 0; j < rows.k; ++j) {
          double xv = double(x[i * rows.k + j]);
          double nf = double(j + 1);
          double delta = xv - mean;
          mean = mean + delta / nf;
          m2 = m2 + delta * (xv - mean);
        }
        double nf = double(rows.k);
        double divisor = nf > double(c) ? nf - double(c) : 0;
        double var = m2 / divisor;
        if (rows.k == 0) mean = var = std::numeric_limits<double>::quiet_NaN();
        v.data_ptr<T>()[i] = T(take_sqrt ? std::sqrt(var) : var);
        m.data_ptr<T>()[i] = T(mean);
      }
    });
    if (reduced) {
      v = v.to(a.dtype());
      m = m.to(a.dtype());
    }
  }
  autograd::record_var_std(a, mask, c, keepdim, take_sqrt, v, take_sqrt ? "StdMeanBackward0" : "VarMeanBackward0",
                           dims.empty());
  autograd::record_mean(a, mask, keepdim, m, take_sqrt ? "StdMeanBackward0" : "VarMeanBackward0");
  return {v, m};
}
std::tuple<Tensor, Tensor> var_mean(const Tensor& a, IntArrayRef dims, std::optional<int64_t> correction, bool keepdim) {
  return var_mean_impl(a, dims, correction, keepdim, false, "var_mean");
}
std::tuple<Tensor, Tensor> std_mean(const Tensor& a, IntArrayRef dims, std::optional<int64_t> correction, bool keepdim) {
  return var_mean_impl(a, dims, correction, keepdim, true, "std_mean");
}

// nanmean = nansum / (number of non-NaN elements), as PyTorch composes it.
Tensor nanmean(const Tensor& a, IntArrayRef dims, bool keepdim, std::optional<DType> dtype) {
  FT_OP_SCOPE("nanmean");
  FT_CHECK(is_floating(a.dtype()), "nanmean(): expected input to have floating point dtype but got ",
           dtype_torch_name(a.dtype()));
  uint64_t mask = ops::reduce_dim_mask(dims, a.dim(), "nanmean");
  Tensor factor;
  {
    autograd::NoGradGuard ng;
    FT_DISPATCH_FLOATING_AND2(a.dtype(), "nanmean", [&] {
      using T = scalar_t;
      factor = arith_rows<T, int64_t>(a, mask, keepdim, DType::Int64, [](const T* r, int64_t k) {
        int64_t c = 0;
        for (int64_t j = 0; j < k; ++j) c += !kernels::is_nan_v(r[j]);
        return c;
      });
    });
  }
  return nansum(a, dims, keepdim, dtype) / factor;
}

Tensor linalg_vector_norm(const Tensor& a, const Scalar& ord, IntArrayRef dims, bool keepdim,
                          std::optional<DType> dtype) {
  FT_OP_SCOPE("linalg_vector_norm");
  uint64_t mask = ops::reduce_dim_mask(dims, a.dim(), "linalg.vector_norm");
  Tensor out = vector_norm_compute(a, ord.to_double(), mask, keepdim, dtype, "linalg.vector_norm");
  autograd::record_vector_norm(a, ord.to_double(), mask, keepdim, out, "LinalgVectorNormBackward0");
  return out;
}
Tensor& linalg_vector_norm_out(Tensor& out, const Tensor& a, const Scalar& ord, IntArrayRef dims, bool keepdim,
                               std::optional<DType> dtype) {
  FT_OP_SCOPE("linalg_vector_norm");
  autograd::NoGradGuard ng;
  return ops::write_out(out, linalg_vector_norm(a, ord, dims, keepdim, dtype));
}
// norm(p, dim, keepdim): 1.13 forwards to linalg_vector_norm (p defaults to 2).
Tensor norm(const Tensor& a, const std::optional<Scalar>& p, IntArrayRef dims, bool keepdim) {
  FT_OP_SCOPE("norm");
  FT_CHECK(is_floating(a.dtype()), "norm(): input dtype should be either floating point or complex. Got ",
           dtype_torch_name(a.dtype()), " instead.");
  double pv = p ? p->to_double() : 2.0;
  uint64_t mask = ops::reduce_dim_mask(dims, a.dim(), "norm");
  // Unlike linalg.vector_norm, 1.13's norm gives 0 for an inf norm over an empty slice.
  Tensor out = vector_norm_compute(a, pv, mask, keepdim, std::nullopt, "linalg.vector_norm", true);
  autograd::record_vector_norm(a, pv, mask, keepdim, out, "NormBackward1");
  return out;
}

// frobenius_norm(dim, keepdim): at most 2 distinct dims; the 2-norm of the
// flattened slices. 1.13 computes norm(2) for <= 1 dim (NormBackward1) and
// sqrt(sum(x*x)) for 2 (grad_fn SqrtBackward0), which differ in rounding only
// (both within the reduction bound) and in the gradient at a zero norm: 0 for
// norm, NaN (0 * inf) through sqrt(sum(x*x)), which the engine repeats.
Tensor frobenius_norm(const Tensor& a, IntArrayRef dims, bool keepdim) {
  FT_OP_SCOPE("frobenius_norm");
  FT_CHECK(dims.size() <= 2, "Expected at most 2 dimensions, but got ", dims.size(), " dimensions instead.");
  if (dims.size() == 2) {
    int64_t d0 = maybe_wrap_dim(dims[0], a.dim()), d1 = maybe_wrap_dim(dims[1], a.dim());
    FT_CHECK(d0 != d1, "Expected dims to be different, got ", shape_str(dims), " instead");
  }
  FT_CHECK(is_floating(a.dtype()), "norm(): input dtype should be either floating point or complex. Got ",
           dtype_torch_name(a.dtype()), " instead.");
  // Over two dims ATen computes sqrt(sum(a * a)); its sqrt kernel has no Half.
  FT_CHECK_KIND(ErrorKind::NotImplemented, dims.size() != 2 || a.dtype() != DType::Float16,
                "\"sqrt_vml_cpu\" not implemented for 'Half'");
  uint64_t mask = ops::reduce_dim_mask(dims, a.dim(), "frobenius_norm");
  Tensor out = vector_norm_compute(a, 2.0, mask, keepdim, std::nullopt, "frobenius_norm", true);
  const bool two = dims.size() == 2;
  autograd::record_vector_norm(a, 2.0, mask, keepdim, out, two ? "SqrtBackward0" : "NormBackward1", !two);
  return out;
}

Tensor Tensor::nanmean(IntArrayRef dims, bool keepdim, std::optional<DType> dtype) const {
  return ft::nanmean(*this, dims, keepdim, dtype);
}
Tensor Tensor::nansum(IntArrayRef dims, bool keepdim, std::optional<DType> dtype) const {
  return ft::nansum(*this, dims, keepdim, dtype);
}
Tensor Tensor::prod(std::optional<DType> dtype) const { return ft::prod(*this, dtype); }
Tensor Tensor::prod(int64_t dim, bool keepdim, std::optional<DType> dtype) const {
  return ft::prod(*this, dim, keepdim, dtype);
}
Tensor Tensor::logsumexp(IntArrayRef dims, bool keepdim) const { return ft::logsumexp(*this, dims, keepdim); }
Tensor Tensor::var(IntArrayRef dims, std::optional<int64_t> correction, bool keepdim) const {
  return ft::var(*this, dims, correction, keepdim);
}
Tensor Tensor::std(IntArrayRef dims, std::optional<int64_t> correction, bool keepdim) const {
  return ft::std(*this, dims, correction, keepdim);
}
Tensor Tensor::norm(const std::optional<Scalar>& p, IntArrayRef dims, bool keepdim) const {
  return ft::norm(*this, p, dims, keepdim);
}

}  // namespace ft
