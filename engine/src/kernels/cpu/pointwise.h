// Pointwise loop templates: out[i] = f(a[i]) and out[i] = f(a[i], b[i]) over
// the strided geometry, with contiguous and scalar-broadcast fast paths.
#pragma once

#include "ft/tensor.h"
#include "loops.h"

namespace ft::kernels {

// out: (S...) any strides; a: broadcastable to out, same dtype T as out.
template <typename T, typename F>
void unary_loop(const Tensor& out, const Tensor& a, IntArrayRef a_strides, F f) {
  auto g = make_geometry<2>(out.sizes(), {out.strides(), a_strides}, {int64_t(sizeof(T)), int64_t(sizeof(T))});
  run_geometry_par(g, {static_cast<char*>(out.data_ptr()), static_cast<char*>(a.data_ptr())},
               [&](char** p, const int64_t* s, int64_t n) {
                 T* o = reinterpret_cast<T*>(p[0]);
                 const T* x = reinterpret_cast<const T*>(p[1]);
                 if (s[0] == sizeof(T) && s[1] == sizeof(T)) {
                   for (int64_t i = 0; i < n; ++i) o[i] = f(x[i]);
                 } else {
                   for (int64_t i = 0; i < n; ++i)
                     *reinterpret_cast<T*>(p[0] + i * s[0]) = f(*reinterpret_cast<const T*>(p[1] + i * s[1]));
                 }
               });
}

// In-dtype T, out-dtype R (comparisons would use R = bool).
template <typename T, typename R, typename F>
void binary_loop(const Tensor& out, const Tensor& a, IntArrayRef a_strides, const Tensor& b, IntArrayRef b_strides,
                 F f) {
  auto g = make_geometry<3>(out.sizes(), {out.strides(), a_strides, b_strides},
                            {int64_t(sizeof(R)), int64_t(sizeof(T)), int64_t(sizeof(T))});
  run_geometry_par(g,
               {static_cast<char*>(out.data_ptr()), static_cast<char*>(a.data_ptr()),
                static_cast<char*>(b.data_ptr())},
               [&](char** p, const int64_t* s, int64_t n) {
                 R* o = reinterpret_cast<R*>(p[0]);
                 const T* x = reinterpret_cast<const T*>(p[1]);
                 const T* y = reinterpret_cast<const T*>(p[2]);
                 constexpr int64_t ti = sizeof(T), ro = sizeof(R);
                 if (s[0] == ro && s[1] == ti && s[2] == ti) {
                   for (int64_t i = 0; i < n; ++i) o[i] = f(x[i], y[i]);
                 } else if (s[0] == ro && s[1] == ti && s[2] == 0) {
                   const T yv = *y;
                   for (int64_t i = 0; i < n; ++i) o[i] = f(x[i], yv);
                 } else if (s[0] == ro && s[1] == 0 && s[2] == ti) {
                   const T xv = *x;
                   for (int64_t i = 0; i < n; ++i) o[i] = f(xv, y[i]);
                 } else {
                   for (int64_t i = 0; i < n; ++i)
                     *reinterpret_cast<R*>(p[0] + i * s[0]) =
                         f(*reinterpret_cast<const T*>(p[1] + i * s[1]), *reinterpret_cast<const T*>(p[2] + i * s[2]));
                 }
               });
}

}  // namespace ft::kernels
