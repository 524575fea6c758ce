// Shared plumbing of the indexing family's front-ends (src/ops/index_*.cpp).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "../autograd/record_index.h"
#include "../kernels/cpu/index_loops.h"
#include "ft/ops.h"
#include "op_helpers.h"

namespace ft::index_detail {

// ATen's ensure_nonempty_*: a 0-dim tensor acts as one of shape [1].
inline int64_t nonempty_dim(const Tensor& t) { return t.dim() == 0 ? 1 : t.dim(); }
inline int64_t nonempty_size(const Tensor& t, int64_t d) { return t.dim() == 0 ? 1 : t.size(d); }
inline int64_t nonempty_stride(const Tensor& t, int64_t d) { return t.dim() == 0 ? 0 : t.stride(d); }
inline DimVector nonempty_sizes(const Tensor& t) { return t.dim() == 0 ? DimVector{1} : DimVector(t.sizes()); }
// Strides over a shape of t's rank (0-dim: [0]), with `zero_dim` (if >= 0) zeroed.
inline DimVector nonempty_strides(const Tensor& t, int64_t zero_dim = -1) {
  DimVector s = t.dim() == 0 ? DimVector{0} : DimVector(t.strides());
  if (zero_dim >= 0) s[size_t(zero_dim)] = 0;
  return s;
}

// NOTE [ Memory order ]
// The order in which ATen's TensorIterator (and infer_dense_strides, behind
// zeros_like of a non-dense tensor) lays out t's dims: an insertion sort of
// the dims, innermost first, by increasing stride (equal strides: the smaller
// size inner); a stride-0 dim compares as a tie and does not move. Serial
// kernels that consume a stream (masked_scatter_) visit elements in this
// order. Returned outermost first, ready for permute().
inline std::vector<int64_t> memory_order(const Tensor& t) {
  const size_t nd = size_t(t.dim());
  std::vector<int64_t> perm(nd);  // innermost first
  for (size_t i = 0; i < nd; ++i) perm[i] = int64_t(nd - 1 - i);
  auto should_swap = [&](int64_t d0, int64_t d1) {
    const int64_t s0 = t.stride(d0), s1 = t.stride(d1);
    if (s0 == 0 || s1 == 0) return 0;
    if (s0 != s1) return s0 < s1 ? -1 : 1;
    return t.size(d0) > t.size(d1) ? 1 : 0;
  };
  for (size_t i = 1; i < nd; ++i) {
    size_t d1 = i;
    for (size_t j = 1; j <= i; ++j) {
      const size_t d0 = i - j;
      const int c = should_swap(perm[d0], perm[d1]);
      if (c > 0) {
        std::swap(perm[d0], perm[d1]);
        d1 = d0;
      } else if (c < 0) {
        break;
      }
    }
  }
  std::reverse(perm.begin(), perm.end());
  return perm;
}

// gather/scatter argument checks (ATen's ScatterGatherChecks).
void gather_shape_check(const Tensor& self, int64_t dim, const Tensor& index);
void scatter_gather_dtype_check(const char* name, const Tensor& self, const Tensor& index, const Tensor* src);
void scatter_shape_check(const Tensor& self, int64_t dim, const Tensor& index, const Tensor* src);

enum class Reduce { None, Sum, Prod, Mean, Amax, Amin };
// Writes src (or the scalar value when src is null) into self at index along
// dim, combining per `r` (None: assign). Checks are the caller's.
void scatter_into(Tensor& self, int64_t dim, const Tensor& index, const Tensor* src, const Scalar& value, Reduce r);

// Accumulate (or assign) source slices into self along dim at positions
// index (1-D or 0-dim, int64 or int32), scaled by alpha when accumulating.
// `name` selects the op's error message for a bad index.
enum class IndexDimOp { Add, Copy };
void index_dim_into(Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha,
                    IndexDimOp op);

// In-place plumbing shared by the family's `op_` methods: with autograd
// tracking, the functional form (NOTE [ In-place and out= plumbing ]); else
// `direct(self)` writes into self, then the version is bumped. check_overlap:
// a self with internally overlapping memory raises (1.13's index_fill_ only
// warns, writing element after element).
template <typename Functional, typename Direct>
Tensor& inplace_or_direct(Tensor& self, std::initializer_list<const Tensor*> others, Functional functional,
                          Direct direct, bool check_overlap = true) {
  bool track = autograd::is_grad_enabled() && (self.requires_grad() || autograd::any_requires_grad(others));
  if (track) return ops::inplace(self, others, functional);
  ops::check_inplace_autograd(self, others);
  if (check_overlap && self.numel() > 0) ops::check_no_internal_overlap(self);
  for (const Tensor* o : others) ops::check_no_partial_overlap(self, *o);
  direct(self);
  self.impl()->bump_version();
  return self;
}

// A functional result written in place into a clone of self (no autograd).
template <typename Write>
Tensor clone_and_write(const Tensor& self, Write write) {
  autograd::NoGradGuard ng;
  Tensor out = self.clone();
  write(out);
  return out;
}

// out= forms: ops::structured_out (exact dtype, dtype_torch_name messages).
using ops::structured_out;

}  // namespace ft::index_detail
