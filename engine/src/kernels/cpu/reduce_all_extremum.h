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

#include "ft/half.h"
#include "vec_lane_reduce.h"

namespace ft::kernels {

namespace detail {
// Vectorized maximum/minimum: NaN if either operand is; the second on a tie.
template <bool IsMax, typename A>
inline A lane_pick(A a, A b) {
  if (a != a || b != b) return std::numeric_limits<A>::quiet_NaN();
  return IsMax ? (a > b ? a : b) : (a < b ? a : b);
}
}  // namespace detail

// x: n >= 1 elements in logical (row-major) order.
template <typename T, bool IsMax>
T reduce_all_extremum(const T* x, int64_t n) {
  auto pick = [](auto a, auto b) { return detail::lane_pick<IsMax>(a, b); };
  if constexpr (std::is_same_v<T, double>) {
    return lanes_reduce<4, false, double>(n, [x](int64_t i) { return x[i]; }, pick);
  } else if constexpr (std::is_same_v<T, float>) {
    return lanes_reduce<8, true, float>(n, [x](int64_t i) { return x[i]; }, pick);
  } else {  // Half, BFloat16: compared as float (exact)
    auto load = [x](int64_t i) { return float(x[i]); };
    if constexpr (std::is_same_v<T, BFloat16>) return T(bf16_lanes_reduce<float>(n, load, pick));
    else return T(lanes_reduce<16, false, float>(n, load, pick));
  }
}

}  // namespace ft::kernels
