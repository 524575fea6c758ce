// Row layout shared by the reduce family (minmax, arith, logical, scan ops)
// and the family's internal interface to its backward formulas.
//
// NOTE [ Row reductions ]
// Every kernel of the reduce family runs over rows: the reduced dims are
// moved last and the input copied contiguous, so output element i (row-major
// over the kept dims) owns row[i*k .. i*k+k), visited in index order (the
// logical row-major order of the reduced dims). One thread reduces one row,
// so results are a pure function of values and shape: bitwise identical for
// any thread count (the DAC determinism promise). Float accumulations follow
// PyTorch's accumulator types (see each kernel) so that order-sensitive ops
// (cumsum, cumprod) agree bit for bit.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>

#include "ft/ops.h"
#include "../../ops/op_helpers.h"

namespace ft::kernels {

struct Rows {
  Tensor data;     // (m, k) contiguous copy, the input's dtype
  int64_t m = 1;   // number of output elements (kept dims)
  int64_t k = 1;   // reduced length
  DimVector perm;  // input.permute(perm) = (kept..., reduced...)
};

// `mask` bit d set => dim d reduced. 0-dim input: one row of length 1.
inline Rows to_rows(const Tensor& a, uint64_t mask) {
  autograd::NoGradGuard ng;
  Rows r;
  for (int64_t d = 0; d < a.dim(); ++d)
    if (!(mask & (uint64_t(1) << d))) { r.perm.push_back(d); r.m *= a.size(d); }
  for (int64_t d = 0; d < a.dim(); ++d)
    if (mask & (uint64_t(1) << d)) { r.perm.push_back(d); r.k *= a.size(d); }
  r.data = a.permute(r.perm).contiguous();
  return r;
}

// Inverse of to_rows for scans: an (m, k) contiguous result, any dtype, back
// to the input's shape (contiguous).
inline Tensor from_rows(const Tensor& res, const Tensor& a, const Rows& rows) {
  autograd::NoGradGuard ng;
  DimVector ps, inv(rows.perm.size());
  for (int64_t d : rows.perm) ps.push_back(a.size(d));
  for (size_t i = 0; i < rows.perm.size(); ++i) inv[size_t(rows.perm[i])] = int64_t(i);
  return res.view(ps).permute(inv).contiguous();
}

// One bit for a single (wrapped) dim; 0 for a 0-dim tensor.
inline uint64_t dim_bit(int64_t dim, int64_t ndim) {
  int64_t w = maybe_wrap_dim(dim, ndim);
  return ndim == 0 ? 0 : uint64_t(1) << w;
}

template <typename T>
inline bool is_nan_v(T v) {
  if constexpr (std::is_floating_point_v<T>) return std::isnan(v);
  else if constexpr (is_reduced_float_v<T>) return std::isnan(float(v));
  else return false;
}

}  // namespace ft::kernels

// Backward recorders of the family (defined in autograd/derivatives_reduce.cpp).
namespace ft::autograd {
// amax/amin: grad shared evenly among the elements equal to the result.
void record_amax_like(const Tensor& in, uint64_t mask, bool keepdim, Tensor& out, const char* name);
// max()/min()/median(): evenly_distribute_backward (NaN result => NaN inputs).
void record_evenly(const Tensor& in, Tensor& out, const char* name);
// max.dim/min.dim/median.dim: the grad goes to the selected index.
void record_select(const Tensor& in, int64_t dim, bool keepdim, Tensor& values, const Tensor& indices,
                   const char* name);
// cummax/cummin: grad scatter-added at the running indices.
void record_cum_select(const Tensor& in, int64_t dim, Tensor& values, const Tensor& indices, const char* name);
void record_nansum(const Tensor& in, uint64_t mask, bool keepdim, Tensor& out);
// prod over all (dim < 0 => all) or one dim.
void record_prod(const Tensor& in, std::optional<int64_t> dim, bool keepdim, Tensor& out, const char* name);
void record_logsumexp(const Tensor& in, uint64_t mask, bool keepdim, Tensor& out);
// empty_dim_list: the formula's n is 1 then (1.13's _safe_size of an empty list).
void record_var_std(const Tensor& in, uint64_t mask, int64_t correction, bool keepdim, bool is_std, Tensor& out,
                    const char* name, bool empty_dim_list);
// zero_norm_masked: a zero norm gives a zero gradient (norm_backward's
// masked_fill); false gives libtorch's sqrt(sum(x * x)) gradient, NaN there.
void record_vector_norm(const Tensor& in, double p, uint64_t mask, bool keepdim, Tensor& out, const char* name,
                        bool zero_norm_masked = true);
void record_cumsum(const Tensor& in, int64_t dim, Tensor& out, bool reverse = false);
void record_cumprod(const Tensor& in, int64_t dim, Tensor& out);
void record_softmax(const Tensor& in, int64_t dim, bool log, Tensor& out);
}  // namespace ft::autograd

namespace ft {
// Inclusive (reverse=false) or reverse-inclusive scan-sum along dim, with
// autograd (its backward is the opposite scan); used by cumsum's backward.
Tensor cumsum_scan(const Tensor& a, int64_t dim, bool reverse);
}  // namespace ft
