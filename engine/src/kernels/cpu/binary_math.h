// Element functions of the binary op family, written to give PyTorch 1.13's
// CPU results bit for bit (the formulas follow ATen's BinaryOpsKernel.cpp):
// floor/trunc division, remainder, fmod, integer pow, shifts, copysign, xlogy.
#pragma once

#include <climits>
#include <cmath>
#include <cstdint>
#include <type_traits>

#include <immintrin.h>
#include <sleef.h>

namespace ft::kernels {

// NOTE [ Sleef fmod ]
// PyTorch's vectorized fmod/remainder/div_floor call Sleef_fmod{f8,d4}, which
// returns NaN for a subnormal divisor where std::fmod is exact (the scalar
// path, and the float64 truth). To match the oracle, the vector-path
// elements (see NOTE [ Vector and scalar paths ]) use Sleef's fmod too.
template <typename T>
inline T sleef_fmod(T a, T b) {
  if constexpr (std::is_same_v<T, double>) {
    double r[4];
    _mm256_storeu_pd(r, Sleef_fmodd4(_mm256_set1_pd(a), _mm256_set1_pd(b)));
    return r[0];
  } else {
    float r[8];
    _mm256_storeu_ps(r, Sleef_fmodf8(_mm256_set1_ps(a), _mm256_set1_ps(b)));
    return r[0];
  }
}
// NOTE [ Sleef pow ]
// ATen's pow kernels (Tensor^Tensor and Tensor^Scalar with a general
// exponent) are cpu_kernel_vec ops: vector-path elements go through
// Sleef_pow{f8,d4}_u10, the rest through std::pow. The two differ by an ulp
// here and there and in the sign of a NaN (pow(-2, 1.5): Sleef +NaN, glibc
// -NaN), which gradients that sum lanes (a broadcast exponent) and copysign
// expose. Vector-path elements use this one-lane Sleef call.
template <typename T>
inline T sleef_pow(T a, T b) {
  if constexpr (std::is_same_v<T, double>) {
    return _mm256_cvtsd_f64(Sleef_powd4_u10(_mm256_set1_pd(a), _mm256_set1_pd(b)));
  } else {
    return _mm256_cvtss_f32(Sleef_powf8_u10(_mm256_set1_ps(a), _mm256_set1_ps(b)));
  }
}

template <typename T>
struct StdFmod {
  T operator()(T a, T b) const { return std::fmod(a, b); }
};
template <typename T>
struct SleefFmod {
  T operator()(T a, T b) const { return sleef_fmod(a, b); }
};

// Integer callers check for a zero divisor first (ZeroDivisionError).
template <typename T>
inline T div_trunc(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    return std::trunc(a / b);
  } else {
    // INT_MIN / -1 wraps (signed only: T(-1) of an unsigned type is its max, a plain divisor)
    if constexpr (std::is_signed_v<T>)
      if (b == T(-1)) return T(std::make_unsigned_t<T>(0) - std::make_unsigned_t<T>(a));
    return a / b;
  }
}

// Python's floor division; for floats ATen's div_floor_floating, which rounds
// the exact quotient (a - fmod(a, b)) / b and keeps the sign of zero.
template <typename T, typename Fmod = StdFmod<T>>
inline T div_floor(T a, T b, Fmod fm = {}) {
  if constexpr (std::is_floating_point_v<T>) {
    if (b == 0) return a / b;  // IEEE: +-inf or NaN
    T mod = fm(a, b);
    T div = (a - mod) / b;
    if (mod != 0 && (b < 0) != (mod < 0)) div -= T(1);
    if (div == 0) return std::copysign(T(0), a / b);
    T fl = std::floor(div);
    if (div - fl > T(0.5)) fl += T(1);
    return fl;
  } else {
    if constexpr (std::is_signed_v<T>)
      if (b == T(-1)) return T(std::make_unsigned_t<T>(0) - std::make_unsigned_t<T>(a));
    // Truncated quotient, minus one when the signs differ and there is a remainder.
    T q = a / b, r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) --q;
    return q;
  }
}

// Python's % (result has the divisor's sign).
template <typename T, typename Fmod = StdFmod<T>>
inline T remainder(T a, T b, Fmod fm = {}) {
  if constexpr (std::is_floating_point_v<T>) {
    T mod = fm(a, b);
    if (mod != 0 && ((b < 0) != (mod < 0))) mod += b;
    return mod;
  } else {
    if constexpr (std::is_signed_v<T>)
      if (b == T(-1)) return T(0);
    T r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
  }
}

// C's fmod / % (result has the dividend's sign).
template <typename T>
inline T fmod(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) return std::fmod(a, b);
  else if constexpr (std::is_signed_v<T>) return b == T(-1) ? T(0) : T(a % b);
  else return T(a % b);
}

// Integer power by squaring with wrapping multiplication (ATen's powi);
// negative exponents: 1 -> 1, -1 -> +-1, else 0 (callers reject the
// Tensor^negative-Scalar case beforehand).
template <typename T>
inline T powi(T base, T exp) {
  using U = std::make_unsigned_t<T>;
  if (exp < 0) {
    if (base == 1) return 1;
    if (base == -1) return (exp % 2 == 0) ? T(1) : T(-1);
    return 0;
  }
  U result = 1, b = U(base);
  while (exp) {
    if (exp & 1) result = result * b;
    exp = T(exp / 2);
    b = b * b;
  }
  return T(result);
}

// 1.13 lshift: unsigned(a) << b, which x86 computes with the count masked to
// the register width (the same bits the oracle gets).
template <typename T>
inline T shift_left(T a, T b) {
  using U = std::make_unsigned_t<T>;
  constexpr int bits = sizeof(T) < 4 ? 32 : int(sizeof(T) * CHAR_BIT);
  return T(U(a) << (uint64_t(b) & uint64_t(bits - 1)));
}

// 1.13 rshift: a negative or too large count shifts by width - 1 (sign fill).
template <typename T>
inline T shift_right(T a, T b) {
  constexpr T max_shift = T(sizeof(T) * CHAR_BIT);
  // Unsigned: a too large count gives 0 (uint8 in 1.13, checked against the oracle).
  if constexpr (std::is_unsigned_v<T>)
    if (b >= max_shift) return T(0);
  if (b < 0 || b >= max_shift) return T(a >> (max_shift - 1));
  return T(a >> b);
}

// x * log(y), 0 where x == 0 (unless y is NaN).
template <typename T>
inline T xlogy(T x, T y) {
  if (std::isnan(y)) return y;
  if (x == 0) return 0;
  return x * std::log(y);
}

}  // namespace ft::kernels
