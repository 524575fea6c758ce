// 256-bit SLEEF calls in the form vml_loop takes (one vector in, one out):
// the functions ATen 1.13's AVX2 Vectorized<float/double> use, so "vml" ops
// match the oracle to the bit (see NOTE [ Matching ATen's vector paths ]).
#pragma once

#include <immintrin.h>
#include <sleef.h>

namespace ft::kernels::sleef {

#define FT_SLEEF_VEC(name, f8, d4)                                                                          \
  inline void name(const float* x, float* y) { _mm256_storeu_ps(y, f8(_mm256_loadu_ps(x))); }               \
  inline void name(const double* x, double* y) { _mm256_storeu_pd(y, d4(_mm256_loadu_pd(x))); }

FT_SLEEF_VEC(exp, Sleef_expf8_u10, Sleef_expd4_u10)
FT_SLEEF_VEC(log, Sleef_logf8_u10, Sleef_logd4_u10)
FT_SLEEF_VEC(tanh, Sleef_tanhf8_u10, Sleef_tanhd4_u10)
FT_SLEEF_VEC(acos, Sleef_acosf8_u10, Sleef_acosd4_u10)
FT_SLEEF_VEC(asin, Sleef_asinf8_u10, Sleef_asind4_u10)
FT_SLEEF_VEC(atan, Sleef_atanf8_u10, Sleef_atand4_u10)
FT_SLEEF_VEC(cos, Sleef_cosf8_u10, Sleef_cosd4_u10)
FT_SLEEF_VEC(sin, Sleef_sinf8_u10, Sleef_sind4_u10)
FT_SLEEF_VEC(tan, Sleef_tanf8_u10, Sleef_tand4_u10)
FT_SLEEF_VEC(erf, Sleef_erff8_u10, Sleef_erfd4_u10)
FT_SLEEF_VEC(erfc, Sleef_erfcf8_u15, Sleef_erfcd4_u15)
FT_SLEEF_VEC(expm1, Sleef_expm1f8_u10, Sleef_expm1d4_u10)
FT_SLEEF_VEC(log10, Sleef_log10f8_u10, Sleef_log10d4_u10)
FT_SLEEF_VEC(log1p, Sleef_log1pf8_u10, Sleef_log1pd4_u10)
FT_SLEEF_VEC(log2, Sleef_log2f8_u10, Sleef_log2d4_u10)
FT_SLEEF_VEC(lgamma, Sleef_lgammaf8_u10, Sleef_lgammad4_u10)
#undef FT_SLEEF_VEC

inline void sqrt(const float* x, float* y) { _mm256_storeu_ps(y, _mm256_sqrt_ps(_mm256_loadu_ps(x))); }
inline void sqrt(const double* x, double* y) { _mm256_storeu_pd(y, _mm256_sqrt_pd(_mm256_loadu_pd(x))); }

}  // namespace ft::kernels::sleef

namespace ft::kernels::sleef {
// One lane of a vector call: the vector lambda's result for one element
// (ti_loop's vector part of cpu_kernel_vec ops such as sinh and cosh, whose
// SLEEF versions overflow slightly earlier than std::sinh/std::cosh).
inline float sinh1(float v) { return _mm256_cvtss_f32(Sleef_sinhf8_u10(_mm256_set1_ps(v))); }
inline double sinh1(double v) { return _mm256_cvtsd_f64(Sleef_sinhd4_u10(_mm256_set1_pd(v))); }
inline float cosh1(float v) { return _mm256_cvtss_f32(Sleef_coshf8_u10(_mm256_set1_ps(v))); }
inline double cosh1(double v) { return _mm256_cvtsd_f64(Sleef_coshd4_u10(_mm256_set1_pd(v))); }
}  // namespace ft::kernels::sleef
