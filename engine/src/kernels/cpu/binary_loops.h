// Loop templates of the binary/ternary op family beyond pointwise.h:
//  - ternary_loop: out[i] = f(a[i], b[i], c[i]) with per-operand element types
//    (where's bool condition, lerp's tensor weight, addcmul/addcdiv);
//  - binary_loop_tio: a binary loop that reproduces which elements PyTorch's
//    TensorIterator computes with its vectorized lambda and which with its
//    scalar one (see NOTE [ Vector and scalar paths ]).
#pragma once

#include <algorithm>
#include <numeric>

#include "ft/tensor.h"
#include "loops.h"

namespace ft::kernels {

// out: (S...) any strides, element type R; a/b/c broadcast to out with the
// given element strides and element types A/B/C.
template <typename R, typename A, typename B, typename C, typename F>
void ternary_loop(const Tensor& out, const Tensor& a, IntArrayRef sa, const Tensor& b, IntArrayRef sb, const Tensor& c,
                  IntArrayRef sc, F f) {
  auto g = make_geometry<4>(out.sizes(), {out.strides(), sa, sb, sc},
                            {int64_t(sizeof(R)), int64_t(sizeof(A)), int64_t(sizeof(B)), int64_t(sizeof(C))});
  run_geometry_par(g,
               {static_cast<char*>(out.data_ptr()), static_cast<char*>(a.data_ptr()),
                static_cast<char*>(b.data_ptr()), static_cast<char*>(c.data_ptr())},
               [&](char** p, const int64_t* s, int64_t n) {
                 for (int64_t i = 0; i < n; ++i)
                   *reinterpret_cast<R*>(p[0] + i * s[0]) = f(*reinterpret_cast<const A*>(p[1] + i * s[1]),
                                                              *reinterpret_cast<const B*>(p[2] + i * s[2]),
                                                              *reinterpret_cast<const C*>(p[3] + i * s[3]));
               });
}

// NOTE [ Vector and scalar paths ]
// A few PyTorch CPU kernels give different answers in their vectorized lambda
// and their scalar one: maximum/minimum on a (+0, -0) tie return the second
// operand in AVX2 (_mm256_max_ps) and the first in std::max. Which path an
// element takes is fixed by TensorIterator: dims ordered like the output's
// memory, coalesced, then in each inner row of n elements the first
// floor(n / 2V) * 2V (V = 32 bytes / sizeof(T)) go through the vector lambda
// when every operand is contiguous along the row (or exactly one input has
// stride 0), the rest through the scalar lambda. binary_loop_tio replays that
// so the sign of zero matches bit for bit.
template <typename T, typename R, typename FS, typename FV>
void binary_loop_tio(const Tensor& out, const Tensor& a, IntArrayRef a_strides, const Tensor& b, IntArrayRef b_strides,
                     FS scalar_fn, FV vector_fn) {
  // Permute dims so that the output's strides decrease (its memory order).
  const size_t nd = out.sizes().size();
  DimVector perm(nd);
  std::iota(perm.begin(), perm.end(), 0);
  std::stable_sort(perm.begin(), perm.end(), [&](int64_t x, int64_t y) {
    return out.strides()[size_t(x)] > out.strides()[size_t(y)];
  });
  DimVector shape(nd), so(nd), sa(nd), sb(nd);
  for (size_t i = 0; i < nd; ++i) {
    size_t d = size_t(perm[i]);
    shape[i] = out.sizes()[d];
    so[i] = out.strides()[d];
    sa[i] = a_strides[d];
    sb[i] = b_strides[d];
  }
  auto g = make_geometry<3>(shape, {IntArrayRef(so), IntArrayRef(sa), IntArrayRef(sb)},
                            {int64_t(sizeof(R)), int64_t(sizeof(T)), int64_t(sizeof(T))});
  constexpr int64_t kBlock = 2 * (32 / int64_t(sizeof(T)));
  run_geometry_par(g,
               {static_cast<char*>(out.data_ptr()), static_cast<char*>(a.data_ptr()),
                static_cast<char*>(b.data_ptr())},
               [&](char** p, const int64_t* s, int64_t n) {
                 constexpr int64_t ti = sizeof(T), ro = sizeof(R);
                 bool vec = s[0] == ro && ((s[1] == ti && s[2] == ti) || (s[1] == 0 && s[2] == ti) ||
                                           (s[1] == ti && s[2] == 0));
                 int64_t nvec = vec ? (n / kBlock) * kBlock : 0;
                 for (int64_t i = 0; i < n; ++i) {
                   T x = *reinterpret_cast<const T*>(p[1] + i * s[1]);
                   T y = *reinterpret_cast<const T*>(p[2] + i * s[2]);
                   *reinterpret_cast<R*>(p[0] + i * s[0]) = i < nvec ? vector_fn(x, y) : scalar_fn(x, y);
                 }
               });
}

}  // namespace ft::kernels
