// Scalar math of the unary family that the C++ library does not provide in
// the form PyTorch 1.13 uses: erfinv, digamma and trigamma follow ATen's
// native/Math.h (Cephes-derived, see the Cephes 3-clause BSD note there), so
// the engine and the oracle agree to the bit, not only within an ULP bound.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <type_traits>

namespace ft::kernels {

constexpr double kPi = 3.14159265358979323846;

// Inverse error function: rational initial guess, then two Newton steps
// (Gary L. Pavlis' erfinv, as ATen's calc_erfinv).
template <typename T>
T calc_erfinv(T y) {
  const T a[4] = {T(0.886226899), T(-1.645349621), T(0.914624893), T(-0.140543331)};
  const T b[4] = {T(-2.118377725), T(1.442710462), T(-0.329097515), T(0.012229801)};
  const T c[4] = {T(-1.970840454), T(-1.624906493), T(3.429567803), T(1.641345311)};
  const T d[2] = {T(3.543889200), T(1.637067800)};
  T x, z, num, dem;
  T y_abs = std::abs(y);
  if (y_abs > T(1.0)) return std::numeric_limits<T>::quiet_NaN();
  if (y_abs == T(1.0)) return std::copysign(std::numeric_limits<T>::infinity(), y);
  if (y_abs <= T(0.7)) {
    z = y * y;
    num = (((a[3] * z + a[2]) * z + a[1]) * z + a[0]);
    dem = ((((b[3] * z + b[2]) * z + b[1]) * z + b[0]) * z + T(1.0));
    x = y * num / dem;
  } else {
    z = std::sqrt(-std::log((T(1.0) - y_abs) / T(2.0)));
    num = ((c[3] * z + c[2]) * z + c[1]) * z + c[0];
    dem = (d[1] * z + d[0]) * z + T(1.0);
    x = std::copysign(num, y) / dem;
  }
  const T two_over_sqrt_pi = T(2.0) / T(std::sqrt(kPi));
  x = x - (std::erf(x) - y) / (two_over_sqrt_pi * std::exp(-x * x));
  x = x - (std::erf(x) - y) / (two_over_sqrt_pi * std::exp(-x * x));
  return x;
}

template <typename T>
T polevl(T x, const T* A, size_t len) {
  T result = 0;
  for (size_t i = 0; i <= len; i++) result = result * x + A[i];
  return result;
}

// digamma (psi): reflection for x < 0, recurrence up to x >= 10, asymptotic
// series (ATen's calc_digamma; float and double have separate constants).
inline double calc_digamma(double x) {
  const double PSI_10 = 2.25175258906672110764;
  if (x == 0) return std::copysign(INFINITY, -x);
  bool x_is_integer = x == std::trunc(x);
  if (x < 0) {
    if (x_is_integer) return std::numeric_limits<double>::quiet_NaN();
    double q, r;
    r = std::modf(x, &q);
    return calc_digamma(1 - x) - kPi / std::tan(kPi * r);
  }
  double result = 0;
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  if (x == 10) return result + PSI_10;
  static const double A[] = {8.33333333333333333333E-2, -2.10927960927960927961E-2, 7.57575757575757575758E-3,
                             -4.16666666666666666667E-3, 3.96825396825396825397E-3, -8.33333333333333333333E-3,
                             8.33333333333333333333E-2};
  double y = 0;
  if (x < 1.0e17) {
    double z = 1.0 / (x * x);
    y = z * polevl(z, A, 6);
  }
  return result + std::log(x) - (0.5 / x) - y;
}

inline float calc_digamma(float x) {
  const float PSI_10 = 2.25175258906672110764f;
  if (x == 0) return std::copysign(INFINITY, -x);
  bool x_is_integer = x == truncf(x);
  if (x < 0) {
    if (x_is_integer) return std::numeric_limits<float>::quiet_NaN();
    double q, r;
    r = std::modf(x, &q);
    float pi_over_tan_pi_x = float(kPi / std::tan(kPi * r));
    return calc_digamma(1 - x) - pi_over_tan_pi_x;
  }
  float result = 0;
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  if (x == 10) return result + PSI_10;
  static const float A[] = {8.33333333333333333333E-2f, -2.10927960927960927961E-2f, 7.57575757575757575758E-3f,
                            -4.16666666666666666667E-3f, 3.96825396825396825397E-3f, -8.33333333333333333333E-3f,
                            8.33333333333333333333E-2f};
  float y = 0;
  if (x < 1.0e17f) {
    float z = 1 / (x * x);
    y = z * polevl(z, A, 6);
  }
  return result + logf(x) - (0.5f / x) - y;
}

// trigamma = polygamma(1, x), the derivative of digamma (used by its backward).
template <typename T>
T calc_trigamma(T x) {
  T sign = +1, result = 0;
  if (x < T(0.5)) {
    sign = -1;
    const T pi = T(kPi);
    const T sin_pi_x = std::sin(pi * x);
    result -= (pi * pi) / (sin_pi_x * sin_pi_x);
    x = 1 - x;
  }
  for (int i = 0; i < 6; ++i) {
    result += 1 / (x * x);
    x += 1;
  }
  const T ixx = 1 / (x * x);
  result += (1 + 1 / (2 * x) + ixx * (T(1) / 6 - ixx * (T(1) / 30 - ixx * (T(1) / 42)))) / x;
  return sign * result;
}

}  // namespace ft::kernels
