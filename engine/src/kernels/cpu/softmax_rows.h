// Row kernels of softmax / log_softmax over the last dim, in the order of
// ATen 1.13's vectorized lastdim kernels (AVX2), so results match bit for bit
// where the SLEEF functions match and the rows run at vector speed.
//
// NOTE [ ATen's reduce_all order ]
// vec::reduce_all(op, data, n) with W lanes: acc = data[0:W]; acc = op(acc,
// data[W:2W]) ... lane-wise in order; a tail of r < W elements updates only
// lanes [0, r) (Vectorized::set); a row shorter than W is one zero-padded
// vector. The W lanes are then combined: floats by the AVX2 shuffle tree
// ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7)), doubles lane by lane
// (((l0 + l1) + l2) + l3).
#pragma once

#include <immintrin.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "unary_sleef.h"

namespace ft::kernels::softmax_rows {

template <typename T>
constexpr int64_t kW = 32 / int64_t(sizeof(T));

// The AVX2 vector of T and the few operations the rows need.
template <typename T> struct Vec;
template <> struct Vec<float> {
  using V = __m256;
  static V load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, V v) { _mm256_storeu_ps(p, v); }
  static V set1(float v) { return _mm256_set1_ps(v); }
  static V add(V a, V b) { return _mm256_add_ps(a, b); }
  static V sub(V a, V b) { return _mm256_sub_ps(a, b); }
  static V mul(V a, V b) { return _mm256_mul_ps(a, b); }
  static V max(V a, V b) { return _mm256_max_ps(a, b); }
  static V unord(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_UNORD_Q); }
  static V bor(V a, V b) { return _mm256_or_ps(a, b); }
  static bool any(V m) { return _mm256_movemask_ps(m) != 0; }
  static V exp(V v) { return Sleef_expf8_u10(v); }
};
template <> struct Vec<double> {
  using V = __m256d;
  static V load(const double* p) { return _mm256_loadu_pd(p); }
  static void store(double* p, V v) { _mm256_storeu_pd(p, v); }
  static V set1(double v) { return _mm256_set1_pd(v); }
  static V add(V a, V b) { return _mm256_add_pd(a, b); }
  static V sub(V a, V b) { return _mm256_sub_pd(a, b); }
  static V mul(V a, V b) { return _mm256_mul_pd(a, b); }
  static V max(V a, V b) { return _mm256_max_pd(a, b); }
  static V unord(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_UNORD_Q); }
  static V bor(V a, V b) { return _mm256_or_pd(a, b); }
  static bool any(V m) { return _mm256_movemask_pd(m) != 0; }
  static V exp(V v) { return Sleef_expd4_u10(v); }
};

template <typename T>
T combine_sum(const T* a) {
  if constexpr (sizeof(T) == 4) return ((a[0] + a[4]) + (a[2] + a[6])) + ((a[1] + a[5]) + (a[3] + a[7]));
  else return ((a[0] + a[1]) + a[2]) + a[3];
}

// vec::reduce_all(+) of a row (NOTE [ ATen's reduce_all order ]).
template <typename T>
T row_sum(const T* x, int64_t n) {
  using O = Vec<T>;
  constexpr int64_t W = kW<T>;
  alignas(32) T acc[W];
  if (n < W) {  // one partial vector, its n lanes combined in order
    T r = x[0];
    for (int64_t l = 1; l < n; ++l) r = r + x[l];
    return r;
  }
  typename O::V a = O::load(x);
  int64_t d = W;
  for (; d < n - n % W; d += W) a = O::add(a, O::load(x + d));
  O::store(acc, a);
  for (int64_t l = 0; d + l < n; ++l) acc[l] = acc[l] + x[d + l];
  return combine_sum(acc);
}

// NaN-propagating max (the value is order independent; only NaN payloads
// and the sign of a zero tie could differ, which softmax does not show).
template <typename T>
T row_max(const T* x, int64_t n) {
  using O = Vec<T>;
  constexpr int64_t W = kW<T>;
  T m = x[0];
  bool nan = false;
  int64_t j = 0;
  if (n >= W) {
    typename O::V mv = O::load(x), nv = O::unord(mv, mv);
    for (j = W; j + W <= n; j += W) {
      typename O::V v = O::load(x + j);
      nv = O::bor(nv, O::unord(v, v));
      mv = O::max(mv, v);
    }
    alignas(32) T lanes[W];
    O::store(lanes, mv);
    nan = O::any(nv);
    m = lanes[0];
    for (int64_t l = 1; l < W; ++l) m = lanes[l] > m ? lanes[l] : m;
  }
  for (; j < n; ++j) {
    nan |= x[j] != x[j];
    m = x[j] > m ? x[j] : m;
  }
  return nan ? std::numeric_limits<T>::quiet_NaN() : m;
}

// y[0:n] = exp(x[0:n] - m) through SLEEF's vector exp (a zero-padded tail).
template <typename T>
void exp_shifted(const T* x, T m, T* y, int64_t n) {
  using O = Vec<T>;
  constexpr int64_t W = kW<T>;
  const typename O::V mv = O::set1(m);
  int64_t j = 0;
  for (; j + W <= n; j += W) O::store(y + j, O::exp(O::sub(O::load(x + j), mv)));
  if (j < n) {
    alignas(32) T buf[W];
    for (int64_t l = 0; l < W; ++l) buf[l] = j + l < n ? x[j + l] : T(0);
    O::store(buf, O::exp(O::sub(O::load(buf), mv)));
    for (int64_t l = 0; j + l < n; ++l) y[j + l] = buf[l];
  }
}

// softmax of one row: exp(x - max) * (1 / sum).
template <typename T>
void softmax_row(const T* x, T* y, int64_t n) {
  T m = row_max(x, n);
  exp_shifted(x, m, y, n);
  const T inv = T(1) / row_sum(y, n);
  int64_t j = 0;
  for (; j + kW<T> <= n; j += kW<T>) Vec<T>::store(y + j, Vec<T>::mul(Vec<T>::load(y + j), Vec<T>::set1(inv)));
  for (; j < n; ++j) y[j] = y[j] * inv;
}

// log_softmax of one row: (x - max) - log(sum(exp(x - max))), the log by
// SLEEF's vector log as ATen computes it. `scratch` holds n elements.
template <typename T>
void log_softmax_row(const T* x, T* y, int64_t n, T* scratch) {
  T m = row_max(x, n);
  exp_shifted(x, m, scratch, n);
  alignas(32) T s[kW<T>] = {};
  s[0] = row_sum(scratch, n);
  sleef::log(s, s);
  const T ls = s[0];
  for (int64_t j = 0; j < n; ++j) y[j] = x[j] - m - ls;
}

}  // namespace ft::kernels::softmax_rows
