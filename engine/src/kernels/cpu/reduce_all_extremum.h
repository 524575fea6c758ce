// max()/min() over every element of a floating tensor, in the order ATen
// 1.13's vector reduction combines them.
//
// NOTE [ Full max and min ]
// The value of a full max/min does not depend on the order of comparisons,
// except for which zero a tie between +0 and -0 returns. ATen reduces a
// contiguous copy with Vectorized maximum/minimum, which return their second
// operand on a tie (_mm256_max_ps), so the sign of a zero result follows its
// lane structure:
//  - float: 8 lanes; fewer than 8 elements fold in order; otherwise each
//    lane folds its column, the tail updates the first lanes, and the lanes
//    combine by the 128/64/32-bit shuffle tree (lane i with i^4, i^2, i^1);
//  - double: 4 lanes, the lanes fold in order at the end;
//  - Half: the generic 16-lane vector, folded in order at the end;
//  - BFloat16: 16-element loads split into two float vectors that fold
//    separately, then combine lane by lane and by the float shuffle tree;
//    below 16 elements, the two halves combine lane by lane (only the
//    lanes the second half fills) and fold in order.
// Any NaN makes the result NaN. Checked against torch 1.13 on 16,000 random
// arrays of +0, -0 and -1 (lengths 1 to 80): every result's sign matches.
// Integer results are order-free; they keep select_rows.
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "ft/half.h"

namespace ft::kernels {

namespace detail {
template <bool IsMax, typename A>
inline A lane_pick(A a, A b) {
  if (a != a || b != b) return std::numeric_limits<A>::quiet_NaN();
  return IsMax ? (a > b ? a : b) : (a < b ? a : b);
}
template <bool IsMax, typename A>
A fold_in_order(const A* v, int64_t n) {
  A acc = v[0];
  for (int64_t i = 1; i < n; ++i) acc = lane_pick<IsMax>(acc, v[i]);
  return acc;
}
template <bool IsMax, typename A>
A shuffle_tree8(const A* v) {
  A s4[4], s2[2];
  for (int i = 0; i < 4; ++i) s4[i] = lane_pick<IsMax>(v[i], v[i + 4]);
  for (int i = 0; i < 2; ++i) s2[i] = lane_pick<IsMax>(s4[i], s4[i + 2]);
  return lane_pick<IsMax>(s2[0], s2[1]);
}
// W lanes over x[0, n); the tail updates lanes [0, n % W).
template <bool IsMax, int W, bool Tree, typename A>
A lanes_reduce(const A* x, int64_t n) {
  if (n < W) return fold_in_order<IsMax>(x, n);
  A acc[W];
  for (int i = 0; i < W; ++i) acc[i] = x[i];
  int64_t d = W;
  for (; d < n - n % W; d += W)
    for (int i = 0; i < W; ++i) acc[i] = lane_pick<IsMax>(acc[i], x[d + i]);
  for (int64_t i = 0; d + i < n; ++i) acc[i] = lane_pick<IsMax>(acc[i], x[d + i]);
  if constexpr (Tree) return shuffle_tree8<IsMax>(acc);
  return fold_in_order<IsMax>(acc, W);
}
template <bool IsMax>
float bf16_reduce(const float* x, int64_t n) {
  float a0[8], a1[8];
  if (n < 16) {
    for (int i = 0; i < 8; ++i) a0[i] = i < n ? x[i] : 0.f;
    if (n <= 8) return fold_in_order<IsMax>(a0, n);
    for (int64_t i = 0; i < n - 8; ++i) a0[i] = lane_pick<IsMax>(a0[i], x[8 + i]);
    return fold_in_order<IsMax>(a0, 8);
  }
  for (int i = 0; i < 8; ++i) a0[i] = x[i], a1[i] = x[8 + i];
  int64_t d = 16;
  for (; d < n - n % 16; d += 16)
    for (int i = 0; i < 8; ++i) {
      a0[i] = lane_pick<IsMax>(a0[i], x[d + i]);
      a1[i] = lane_pick<IsMax>(a1[i], x[d + 8 + i]);
    }
  const int64_t r = n - d;
  for (int64_t i = 0; i < r && i < 8; ++i) a0[i] = lane_pick<IsMax>(a0[i], x[d + i]);
  for (int64_t i = 8; i < r; ++i) a1[i - 8] = lane_pick<IsMax>(a1[i - 8], x[d + i]);
  for (int i = 0; i < 8; ++i) a0[i] = lane_pick<IsMax>(a0[i], a1[i]);
  return shuffle_tree8<IsMax>(a0);
}
}  // namespace detail

// x: n >= 1 elements in logical (row-major) order.
template <typename T, bool IsMax>
T reduce_all_extremum(const T* x, int64_t n) {
  if constexpr (std::is_same_v<T, double>) {
    return detail::lanes_reduce<IsMax, 4, false>(x, n);
  } else if constexpr (std::is_same_v<T, float>) {
    return detail::lanes_reduce<IsMax, 8, true>(x, n);
  } else {  // Half, BFloat16: compared as float (exact)
    std::vector<float> f(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) f[size_t(i)] = float(x[i]);
    if constexpr (std::is_same_v<T, BFloat16>) return T(detail::bf16_reduce<IsMax>(f.data(), n));
    else return T(detail::lanes_reduce<IsMax, 16, false>(f.data(), n));
  }
}

}  // namespace ft::kernels
