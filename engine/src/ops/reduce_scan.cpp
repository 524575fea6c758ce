// Scans along one dim: cumsum, cumprod, cummax/cummin (values, indices),
// softmax and log_softmax. Each row (NOTE [ Row reductions ]) is scanned in
// index order by one thread, with PyTorch's accumulator: cumsum/cumprod keep
// a double running value for floats (acc_type<float, /*is_cuda=*/false>) and
// an int64 one for integers, rounding each output to T, so they agree bit for
// bit with PyTorch's sequential CPU kernels.
#include <algorithm>
#include <cmath>
#include <vector>
#include <limits>

#include "../autograd/record.h"
#include "../kernels/cpu/softmax_rows.h"
#include "../kernels/cpu/loops.h"
#include "../kernels/cpu/reduce_select.h"
#include "../kernels/cpu/unary_sleef.h"
#include "op_helpers.h"

namespace ft {
namespace {

// Result dtype of cumsum/cumprod: dtype= if given, else integers -> int64.
DType cum_dtype(const Tensor& a, std::optional<DType> dtype) {
  return dtype ? *dtype : (is_integral(a.dtype(), true) ? DType::Int64 : a.dtype());
}

template <bool IsProd>
Tensor cum_compute(const Tensor& a, int64_t dim, std::optional<DType> dtype, bool reverse = false) {
  autograd::NoGradGuard ng;
  DType dt = cum_dtype(a, dtype);
  int64_t d = maybe_wrap_dim(dim, a.dim());
  Tensor x = ops::cast_if_needed(a, dt);
  // A 0-dim or empty input runs no kernel in libtorch (Half has none).
  if (dt == DType::Float16 && (a.dim() == 0 || a.numel() == 0)) return x.clone();
  kernels::Rows rows = kernels::to_rows(x, a.dim() == 0 ? 0 : uint64_t(1) << d);
  Tensor r = empty({rows.m, rows.k}, dt);
  FT_DISPATCH_ALL_AND_BF16(dt, IsProd ? "cumprod_out_cpu" : "cumsum_out_cpu", [&] {
    using T = scalar_t;
    // libtorch's acc_type: double for float/double, float for BFloat16.
    using Acc = std::conditional_t<is_reduced_float_v<T>, acc_t<T>,
                                   std::conditional_t<std::is_floating_point_v<T>, double, int64_t>>;
    const T* xp = rows.m * rows.k != 0 ? rows.data.data_ptr<T>() : nullptr;
    T* rp = r.data_ptr<T>();
    for (int64_t i = 0; i < rows.m; ++i) {
      Acc acc = IsProd ? Acc(1) : Acc(0);
      for (int64_t jj = 0; jj < rows.k; ++jj) {
        int64_t j = reverse ? rows.k - 1 - jj : jj;
        if constexpr (is_float_v<T>) {
          if (IsProd) acc *= Acc(xp[i * rows.k + j]); else acc += Acc(xp[i * rows.k + j]);
        } else {  // wrapping integer arithmetic
          uint64_t u = uint64_t(acc), v = uint64_t(int64_t(xp[i * rows.k + j]));
          acc = int64_t(IsProd ? u * v : u + v);
        }
        rp[i * rows.k + j] = T(acc);
      }
    }
  });
  return kernels::from_rows(r, x, rows);
}

Tensor softmax_compute(const Tensor& x, int64_t d, bool log) {
  autograd::NoGradGuard ng;
  // An empty input runs no kernel in PyTorch: any dtype, an empty result.
  if (x.numel() == 0) return empty(x.sizes(), x.dtype());
  // BFloat16: libtorch 1.13 widens each row to float, runs the float kernel
  // and rounds the results once (NOTE [ Half and BFloat16 kernels ]); Half raises below.
  if (x.dtype() == DType::BFloat16) return softmax_compute(x.to(DType::Float32), d, log).to(DType::BFloat16);
  kernels::Rows rows = kernels::to_rows(x, x.dim() == 0 ? 0 : uint64_t(1) << d);
  const bool last_dim = x.dim() == 0 || d == x.dim() - 1;
  Tensor r = empty({rows.m, rows.k}, x.dtype());
  FT_DISPATCH_FLOATING(x.dtype(), log ? "log_softmax_lastdim_kernel_impl" : "softmax_lastdim_kernel_impl", [&] {
    using T = scalar_t;
    const T* xp = rows.m * rows.k != 0 ? rows.data.data_ptr<T>() : nullptr;
    T* rp = r.data_ptr<T>();
    const int64_t k = rows.k;
    // exp of a row through SLEEF's 256-bit u10 exp, as ATen's vectorized
    // softmax kernels compute it; a partial vector is padded.
    auto vexp = [](T* v, int64_t n) {
      constexpr int64_t W = 32 / int64_t(sizeof(T));
      int64_t j = 0;
      for (; j + W <= n; j += W) kernels::sleef::exp(v + j, v + j);
      if (j < n) {
        alignas(32) T buf[W] = {};
        for (int64_t q = j; q < n; ++q) buf[q - j] = v[q];
        kernels::sleef::exp(buf, buf);
        for (int64_t q = j; q < n; ++q) v[q] = buf[q - j];
      }
    };
    // Rows are independent: chunks of whole rows (NOTE [ Deterministic chunking ]).
    const int64_t grain = std::max<int64_t>(1, kernels::kParallelGrain / std::max<int64_t>(k, 1));
    if (last_dim) {
      // ATen's lastdim kernels: vector order and SLEEF (softmax_rows.h).
      parallel_for(0, k > 0 ? rows.m : 0, grain, [&](int64_t i0, int64_t i1) {
        // Short rows (class scores) use a stack buffer: no allocation per call.
        T small[256];
        std::vector<T> big(log && k > 256 ? size_t(k) : 0);
        T* scratch = k > 256 ? big.data() : small;
        for (int64_t i = i0; i < i1; ++i) {
          if (log) kernels::softmax_rows::log_softmax_row(xp + i * k, rp + i * k, k, scratch);
          else kernels::softmax_rows::softmax_row(xp + i * k, rp + i * k, k);
        }
      });
      return;
    }
    // Other dims: ATen accumulates along the dim one element at a time.
    parallel_for(0, k > 0 ? rows.m : 0, grain, [&](int64_t i0, int64_t i1) {
      for (int64_t i = i0; i < i1; ++i) {
        const T* row = xp + i * k;
        T* o = rp + i * k;
        T m = row[0];  // NaN-propagating max
        for (int64_t j = 1; j < k && !std::isnan(m); ++j)
          if (std::isnan(row[j]) || row[j] > m) m = row[j];
        for (int64_t j = 0; j < k; ++j) o[j] = row[j] - m;
        if (log) {
          // log_softmax = (x - max) - log(sum(exp(x - max))), in that order
          // (PyTorch keeps it: adding max and log(sum) first loses digits).
          // o holds x - max; exp goes to a scratch copy to keep it.
          std::vector<T> e(o, o + k);
          vexp(e.data(), k);
          T s = 0;
          for (int64_t j = 0; j < k; ++j) s += e[size_t(j)];
          T ls = std::log(s);
          for (int64_t j = 0; j < k; ++j) o[j] -= ls;
        } else {
          // softmax = exp(x - max) * (1 / sum)
          vexp(o, k);
          T s = 0;
          for (int64_t j = 0; j < k; ++j) s += o[j];
          T inv = T(1) / s;
          for (int64_t j = 0; j < k; ++j) o[j] *= inv;
        }
      }
    });
  });
  return kernels::from_rows(r, x, rows);
}

template <bool IsMax>
std::tuple<Tensor, Tensor> cum_select(const Tensor& a, int64_t dim) {
  // A 0-dim or empty input is returned as is (indices 0) before dim is
  // checked: PyTorch accepts any dim there.
  int64_t d = (a.dim() == 0 || a.numel() == 0) ? 0 : maybe_wrap_dim(dim, a.dim());
  Tensor v, idx;
  {
    autograd::NoGradGuard ng;
    kernels::Rows rows = kernels::to_rows(a, a.dim() == 0 ? 0 : uint64_t(1) << d);
    Tensor rv = empty({rows.m, rows.k}, a.dtype()), ri = empty({rows.m, rows.k}, DType::Int64);
    if (a.dim() == 0) {  // no kernel runs (Half included): the value itself, index 0
      rv.copy_(a.reshape({1, 1}));
      ri.zero_();
    } else if (rows.m * rows.k > 0) {
      FT_DISPATCH_ALL_AND_BOOL_BF16(a.dtype(), IsMax ? "cummax_cpu" : "cummin_cpu", [&] {
        using T = scalar_t;
        kernels::cum_select_rows<T, IsMax>(rows.data.data_ptr<T>(), rows.m, rows.k, rv.data_ptr<T>(),
                                           ri.data_ptr<int64_t>());
      });
    }
    v = kernels::from_rows(rv, a, rows);
    idx = kernels::from_rows(ri, a, rows);
  }
  autograd::record_cum_select(a, dim, v, idx, IsMax ? "CummaxBackward0" : "CumminBackward0");
  return {v, idx};
}

}  // namespace

// The scan used by cumsum's backward: differentiable, its backward is the
// opposite scan.
Tensor cumsum_scan(const Tensor& a, int64_t dim, bool reverse) {
  Tensor out = cum_compute<false>(a, dim, std::nullopt, reverse);
  autograd::record_cumsum(a, a.dim() == 0 ? 0 : maybe_wrap_dim(dim, a.dim()), out, reverse);
  return out;
}

// Backward: cumsum_backward(grad.to(self.dtype), dim), recorded on the
// un-cast input as PyTorch's derivatives.yaml does.
Tensor cumsum(const Tensor& a, int64_t dim, std::optional<DType> dtype) {
  FT_OP_SCOPE("cumsum");
  Tensor out = cum_compute<false>(a, dim, dtype);
  if (is_floating(out.dtype()) && is_floating(a.dtype()))
    autograd::record_cumsum(a, a.dim() == 0 ? 0 : maybe_wrap_dim(dim, a.dim()), out);
  return out;
}
Tensor& cumsum_out(Tensor& out, const Tensor& a, int64_t dim, std::optional<DType> dtype) {
  FT_OP_SCOPE("cumsum");
  autograd::NoGradGuard ng;
  return ops::write_out(out, cum_compute<false>(a, dim, dtype ? dtype : std::optional<DType>(out.dtype())));
}
Tensor cumprod(const Tensor& a, int64_t dim, std::optional<DType> dtype) {
  FT_OP_SCOPE("cumprod");
  Tensor out = cum_compute<true>(a, dim, dtype);
  if (is_floating(out.dtype()) && is_floating(a.dtype())) autograd::record_cumprod(a, dim, out);
  return out;
}
Tensor& cumprod_out(Tensor& out, const Tensor& a, int64_t dim, std::optional<DType> dtype) {
  FT_OP_SCOPE("cumprod");
  autograd::NoGradGuard ng;
  return ops::write_out(out, cum_compute<true>(a, dim, dtype ? dtype : std::optional<DType>(out.dtype())));
}

Tensor softmax(const Tensor& a, int64_t dim, std::optional<DType> dtype) {
  FT_OP_SCOPE("softmax");
  Tensor x = dtype ? a.to(*dtype) : a;
  int64_t d = maybe_wrap_dim(dim, x.dim());
  Tensor out = softmax_compute(x, d, false);
  autograd::record_softmax(x, d, false, out);
  return out;
}
Tensor log_softmax(const Tensor& a, int64_t dim, std::optional<DType> dtype) {
  FT_OP_SCOPE("log_softmax");
  Tensor x = dtype ? a.to(*dtype) : a;
  int64_t d = maybe_wrap_dim(dim, x.dim());
  Tensor out = softmax_compute(x, d, true);
  autograd::record_softmax(x, d, true, out);
  return out;
}

std::tuple<Tensor, Tensor> cummax(const Tensor& a, int64_t dim) { FT_OP_SCOPE("cummax"); return cum_select<true>(a, dim); }
std::tuple<Tensor, Tensor> cummin(const Tensor& a, int64_t dim) { FT_OP_SCOPE("cummin"); return cum_select<false>(a, dim); }

Tensor Tensor::cumsum(int64_t dim, std::optional<DType> dtype) const { return ft::cumsum(*this, dim, dtype); }
Tensor Tensor::cumprod(int64_t dim, std::optional<DType> dtype) const { return ft::cumprod(*this, dim, dtype); }
Tensor Tensor::softmax(int64_t dim, std::optional<DType> dtype) const { return ft::softmax(*this, dim, dtype); }
Tensor Tensor::log_softmax(int64_t dim, std::optional<DType> dtype) const { return ft::log_softmax(*this, dim, dtype); }
std::tuple<Tensor, Tensor> Tensor::cummax(int64_t dim) const { return ft::cummax(*this, dim); }
std::tuple<Tensor, Tensor> Tensor::cummin(int64_t dim) const { return ft::cummin(*this, dim); }

}  // namespace ft
