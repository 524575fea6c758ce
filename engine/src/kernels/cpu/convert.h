// Element conversion between dtypes with PyTorch-CPU (x86) results and no UB.
#pragma once

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "ft/half.h"

namespace ft::kernels {

template <typename T> constexpr bool is_half_like_v = std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>;

// float -> integer as x86 cvtt* does it: out-of-range and NaN give the
// "integer indefinite" value (INT_MIN of the conversion width); narrow
// integer targets then truncate the 32-bit result, as compiled C++ does.
template <typename D>
D float_to_int(double v) {
  if constexpr (std::is_same_v<D, int64_t>) {
    if (!(v >= -9223372036854775808.0 && v < 9223372036854775808.0)) return INT64_MIN;
    return int64_t(v);
  } else {
    int32_t r;
    if (!(v > -2147483649.0 && v < 2147483648.0)) r = INT32_MIN;
    else r = int32_t(v);
    return D(uint32_t(r));  // wraps for the narrow types
  }
}

template <typename D, typename S>
inline D convert(S s) {
  if constexpr (std::is_same_v<D, S>) {
    return s;
  } else if constexpr (std::is_same_v<D, bool>) {
    if constexpr (is_half_like_v<S>) return float(s) != 0.f;
    else return s != S(0);
  } else if constexpr (is_half_like_v<D>) {
    if constexpr (is_half_like_v<S>) return D(float(s));
    else return D(float(s));
  } else if constexpr (std::is_floating_point_v<D>) {
    if constexpr (is_half_like_v<S>) return D(float(s));
    else return D(s);
  } else {  // integral D
    if constexpr (is_half_like_v<S>) return float_to_int<D>(double(float(s)));
    else if constexpr (std::is_floating_point_v<S>) return float_to_int<D>(double(s));
    else return D(s);  // integer narrowing wraps (well-defined since C++20)
  }
}

}  // namespace ft::kernels
