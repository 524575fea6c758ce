// Loops of the unary family, on top of the strided geometry of loops.h:
//   map_loop   out[i] = f(a[i]) with an out dtype R that may differ (bool results);
//   vml_loop   every element through a 256-bit SLEEF function, in blocks;
//   ti_loop    scalar/vector split as TensorIterator's cpu_kernel_vec makes it.
//
// NOTE [ Matching ATen's vector paths ]
// ATen 1.13 (AVX2 build) computes many float ops with SLEEF vector functions.
// Two shapes of that matter for bit parity:
//  * "vml" ops (sin, log1p, erf, lgamma, ...) send EVERY element through the
//    vector function (strided data is copied into a buffer first), so the
//    engine does the same: vml_loop, whatever the layout.
//  * cpu_kernel_vec ops run the vector lambda on whole chunks of 2 vectors of
//    each contiguous inner run (in memory order) and the scalar lambda on the
//    tail and on strided data. Where the two lambdas differ observably (sign
//    of zero at a tie, a different formula), ti_loop reproduces the split.
#pragma once

#include <immintrin.h>

#include <algorithm>
#include <numeric>

#include "ft/tensor.h"
#include "loops.h"

namespace ft::kernels {

// out: (S...) dtype R; a: (S...) dtype T with element strides a_strides.
template <typename T, typename R, typename F>
void map_loop(const Tensor& out, const Tensor& a, IntArrayRef a_strides, F f) {
  auto g = make_geometry<2>(out.sizes(), {out.strides(), a_strides}, {int64_t(sizeof(R)), int64_t(sizeof(T))});
  run_geometry_par(g, {static_cast<char*>(out.data_ptr()), static_cast<char*>(a.data_ptr())},
               [&](char** p, const int64_t* s, int64_t n) {
                 for (int64_t i = 0; i < n; ++i)
                   *reinterpret_cast<R*>(p[0] + i * s[0]) = f(*reinterpret_cast<const T*>(p[1] + i * s[1]));
               });
}

// vf(const T* in, T* out) computes one 32-byte vector (8 floats / 4 doubles).
template <typename T, typename VF>
void vml_loop(const Tensor& out, const Tensor& a, IntArrayRef a_strides, VF vf) {
  constexpr int64_t W = 32 / int64_t(sizeof(T));
  auto g = make_geometry<2>(out.sizes(), {out.strides(), a_strides}, {int64_t(sizeof(T)), int64_t(sizeof(T))});
  run_geometry_par(g, {static_cast<char*>(out.data_ptr()), static_cast<char*>(a.data_ptr())},
               [&](char** p, const int64_t* s, int64_t n) {
                 alignas(32) T in[W], res[W];
                 int64_t i0 = 0;
                 if (s[0] == int64_t(sizeof(T)) && s[1] == int64_t(sizeof(T))) {  // contiguous: no staging
                   const T* x = reinterpret_cast<const T*>(p[1]);
                   T* y = reinterpret_cast<T*>(p[0]);
                   for (; i0 + W <= n; i0 += W) vf(x + i0, y + i0);
                 }
                 for (; i0 < n; i0 += W) {
                   const int64_t m = std::min(W, n - i0);
                   for (int64_t k = 0; k < W; ++k)  // a partial vector is padded, as ATen's loadu(ptr, count)
                     in[k] = k < m ? *reinterpret_cast<const T*>(p[1] + (i0 + k) * s[1]) : T(0);
                   vf(in, res);
                   for (int64_t k = 0; k < m; ++k) *reinterpret_cast<T*>(p[0] + (i0 + k) * s[0]) = res[k];
                 }
               });
}

// See NOTE [ Matching ATen's vector paths ]. sf(T) -> T is the scalar lambda,
// vf(T) -> T the vector lambda's per-lane result. out and a share one shape;
// dims are walked in out's memory order (TensorIterator's dim reordering).
template <typename T, typename SF, typename VF>
void ti_loop(const Tensor& out, const Tensor& a, IntArrayRef a_strides, SF sf, VF vf) {
  constexpr int64_t W2 = 2 * (32 / int64_t(sizeof(T)));
  const int64_t nd = out.dim();
  DimVector perm(size_t(nd), 0);
  std::iota(perm.begin(), perm.end(), int64_t(0));
  IntArrayRef os = out.strides();
  std::stable_sort(perm.begin(), perm.end(), [&](int64_t x, int64_t y) {
    if (os[size_t(x)] != os[size_t(y)]) return os[size_t(x)] > os[size_t(y)];
    return a_strides[size_t(x)] > a_strides[size_t(y)];
  });
  DimVector shape, so, sa;
  for (int64_t d : perm) {
    shape.push_back(out.sizes()[size_t(d)]);
    so.push_back(os[size_t(d)]);
    sa.push_back(a_strides[size_t(d)]);
  }
  auto g = make_geometry<2>(shape, {IntArrayRef(so), IntArrayRef(sa)}, {int64_t(sizeof(T)), int64_t(sizeof(T))});
  run_geometry_par(g, {static_cast<char*>(out.data_ptr()), static_cast<char*>(a.data_ptr())},
               [&](char** p, const int64_t* s, int64_t n) {
                 const bool vec = s[0] == int64_t(sizeof(T)) && (s[1] == int64_t(sizeof(T)) || s[1] == 0);
                 const int64_t nvec = vec ? n / W2 * W2 : 0;
                 for (int64_t i = 0; i < n; ++i) {
                   T x = *reinterpret_cast<const T*>(p[1] + i * s[1]);
                   *reinterpret_cast<T*>(p[0] + i * s[0]) = i < nvec ? vf(x) : sf(x);
                 }
               });
}

}  // namespace ft::kernels

namespace ft::kernels {

// ti_loop for a backward kernel f(dy, x) -> dx: dims walked in dy's memory
// order (TensorIterator orders by the first input when the output is new);
// out is a fresh contiguous tensor of the same shape.
template <typename T, typename SF, typename VF>
void ti_loop2(const Tensor& out, const Tensor& dy, const Tensor& x, SF sf, VF vf) {
  constexpr int64_t W2 = 2 * (32 / int64_t(sizeof(T)));
  const int64_t nd = out.dim();
  DimVector perm(size_t(nd), 0);
  std::iota(perm.begin(), perm.end(), int64_t(0));
  IntArrayRef gs = dy.strides(), xs = x.strides();
  std::stable_sort(perm.begin(), perm.end(), [&](int64_t a, int64_t b) {
    if (gs[size_t(a)] != gs[size_t(b)]) return gs[size_t(a)] > gs[size_t(b)];
    return xs[size_t(a)] > xs[size_t(b)];
  });
  DimVector shape, so, sg, sx;
  for (int64_t d : perm) {
    shape.push_back(out.sizes()[size_t(d)]);
    so.push_back(out.strides()[size_t(d)]);
    sg.push_back(gs[size_t(d)]);
    sx.push_back(xs[size_t(d)]);
  }
  constexpr int64_t ts = int64_t(sizeof(T));
  auto g = make_geometry<3>(shape, {IntArrayRef(so), IntArrayRef(sg), IntArrayRef(sx)}, {ts, ts, ts});
  run_geometry_par(g,
               {static_cast<char*>(out.data_ptr()), static_cast<char*>(dy.data_ptr()),
                static_cast<char*>(x.data_ptr())},
               [&](char** p, const int64_t* s, int64_t n) {
                 const bool vec = s[0] == ts && (s[1] == ts || s[1] == 0) && (s[2] == ts || s[2] == 0);
                 const int64_t nvec = vec ? n / W2 * W2 : 0;
                 for (int64_t i = 0; i < n; ++i) {
                   T a = *reinterpret_cast<const T*>(p[1] + i * s[1]);
                   T b = *reinterpret_cast<const T*>(p[2] + i * s[2]);
                   *reinterpret_cast<T*>(p[0] + i * s[0]) = i < nvec ? vf(a, b) : sf(a, b);
                 }
               });
}

// ti_loop2 over Half or BFloat16 tensors with float lambdas: each element is
// computed in float and rounded once, while the walk (layout, and the
// vector/scalar split at ATen's 32-element chunks of 16-bit vectors) stays
// that of the 16-bit tensors. NOTE [ Half and BFloat16 kernels ].
template <typename B, typename SF, typename VF>
void ti_loop2_via_float(const Tensor& out, const Tensor& dy, const Tensor& x, SF sf, VF vf) {
  ti_loop2<B>(
      out, dy, x, [=](B a, B b) { return B(sf(float(a), float(b))); },
      [=](B a, B b) { return B(vf(float(a), float(b))); });
}

}  // namespace ft::kernels
