// The lane structures of ATen 1.13's AVX2 all-element vector reductions
// (at::vec::reduce_all and the map*_reduce_all family), for kernels whose
// result depends on the order of combination: which zero a max/min tie
// returns (reduce_all_extremum.h), or the rounding of a float sum
// (ops/nn_norm_bf16.cpp). `load(i)` gives element i as A, `op` combines.
//
//  - lanes_reduce<W, Tree>: W lanes; fewer than W elements fold in order;
//    otherwise each lane folds its column, the tail updates the first lanes,
//    and the lanes combine by the float shuffle tree (Tree) or in order.
//  - bf16_lanes_reduce: 16-element BFloat16 loads split into two 8-float
//    vectors that fold separately, then combine lane by lane and by the
//    shuffle tree; below 16 elements the upper half folds into the lanes it
//    fills and the 8 (or n) lanes combine in order.
#pragma once

#include <cstdint>

namespace ft::kernels {

// _mm256_permute2f128_ps, then _mm256_shuffle_ps 0x4E and 0xB1: lane 0 of
// op(v, v[i ^ 4]), op(., .[i ^ 2]), op(., .[i ^ 1]).
template <typename A, typename Op>
A shuffle_tree8(const A* v, Op op) {
  A s4[4];
  for (int i = 0; i < 4; ++i) s4[i] = op(v[i], v[i + 4]);
  return op(op(s4[0], s4[2]), op(s4[1], s4[3]));
}

template <typename A, typename Op>
A fold_in_order(const A* v, int64_t n, Op op) {
  A acc = v[0];
  for (int64_t i = 1; i < n; ++i) acc = op(acc, v[i]);
  return acc;
}

template <int W, bool Tree, typename A, typename Load, typename Op>
A lanes_reduce(int64_t n, Load load, Op op) {
  A acc[W] = {};  // n >= 1: read only where written (GCC cannot see it)
  if (n < W) {
    for (int64_t i = 0; i < n; ++i) acc[i] = load(i);
    return fold_in_order(acc, n, op);
  }
  for (int i = 0; i < W; ++i) acc[i] = load(i);
  int64_t d = W;
  for (; d < n - n % W; d += W)
    for (int i = 0; i < W; ++i) acc[i] = op(acc[i], load(d + i));
  for (int64_t i = 0; d + i < n; ++i) acc[i] = op(acc[i], load(d + i));
  if constexpr (Tree) return shuffle_tree8(acc, op);
  return fold_in_order(acc, W, op);
}

template <typename A, typename Load, typename Op>
A bf16_lanes_reduce(int64_t n, Load load, Op op) {
  A a0[8] = {}, a1[8] = {};
  if (n < 16) {
    for (int64_t i = 0; i < 8 && i < n; ++i) a0[i] = load(i);
    if (n <= 8) return fold_in_order(a0, n, op);
    for (int64_t i = 0; i < n - 8; ++i) a0[i] = op(a0[i], load(8 + i));
    return fold_in_order(a0, 8, op);
  }
  for (int i = 0; i < 8; ++i) a0[i] = load(i), a1[i] = load(8 + i);
  int64_t d = 16;
  for (; d < n - n % 16; d += 16)
    for (int i = 0; i < 8; ++i) {
      a0[i] = op(a0[i], load(d + i));
      a1[i] = op(a1[i], load(d + 8 + i));
    }
  const int64_t r = n - d;
  for (int64_t i = 0; i < r && i < 8; ++i) a0[i] = op(a0[i], load(d + i));
  for (int64_t i = 8; i < r; ++i) a1[i - 8] = op(a1[i - 8], load(d + i));
  for (int i = 0; i < 8; ++i) a0[i] = op(a0[i], a1[i]);
  return shuffle_tree8(a0, op);
}

}  // namespace ft::kernels
