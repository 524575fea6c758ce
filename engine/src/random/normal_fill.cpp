// The vectorized normal fill: PyTorch's normal_ on a contiguous float or
// double tensor of at least 16 elements.
//
// NOTE [ Vectorized normal_ ]
// ATen fills such a tensor in two passes. First every element receives a
// uniform in [0, 1) (float: 24 bits of one 32-bit draw; double: 53 bits of one
// 64-bit draw), in order. Then blocks of 16 are transformed in place by
// Box-Muller: for j < 8, u1 = 1 - d[j] (so log sees (0, 1]), u2 = d[j + 8],
// r = sqrt(-2 log u1), theta = 2 pi u2, d[j] = r cos(theta) * std + mean and
// d[j + 8] = r sin(theta) * std + mean. When n is not a multiple of 16 the
// last 16 elements (overlapping the previous block) are refilled with 16 NEW
// uniforms and transformed again, so a tail costs 16 extra draws and the
// elements n-16 .. n-1 come from those. The generator's cached normal sample
// is neither used nor changed.
//
// Which math runs the transform depends on the CPU kernel libtorch
// dispatches to (ATEN_CPU_CAPABILITY, else the best the CPU supports):
//  * AVX2 (the default on any AVX2+FMA machine, which the engine requires):
//    float blocks go through 8-lane Cephes-style logf/sincosf polynomials
//    ("avx_mathfun"), and the final r*c * std + mean is a fused multiply-add.
//    Reproduced below with the same operations, and FMA wherever GCC can
//    contract a product into a following add (libtorch's build contracts;
//    the final r*c * std + mean is an explicit FMA in ATen). The parity test
//    tells the AVX2 polynomials apart from libm (ATEN_CPU_CAPABILITY=default
//    makes libtorch and the engine both switch to libm), but a rounding
//    change deep inside a polynomial is rarely visible in the result.
//  * DEFAULT: the scalar formula with libm's logf/cosf/sinf, no FMA.
//  * AVX512 (opt-in with ATEN_CPU_CAPABILITY=avx512): NOT reproduced for
//    float; the engine uses the scalar formula with FMA, which differs from
//    libtorch's AVX512 kernel by a few ulps in some elements.
// Double always uses the scalar formula with libm's log/cos/sin (FMA for the
// final * std + mean except under DEFAULT).
#include <immintrin.h>

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "sampling.h"

namespace ft::rng {
namespace {

// ---- 8-lane Cephes logf / sincosf ------------------------------------------
// Polynomial coefficients of Cephes' single-precision logf and sinf/cosf.
inline __m256 splat(float v) { return _mm256_set1_ps(v); }
inline __m256i splat_i(int v) { return _mm256_set1_epi32(v); }
inline __m256 add(__m256 a, __m256 b) { return _mm256_add_ps(a, b); }
inline __m256 sub(__m256 a, __m256 b) { return _mm256_sub_ps(a, b); }
inline __m256 mul(__m256 a, __m256 b) { return _mm256_mul_ps(a, b); }
inline __m256 fma(__m256 a, __m256 b, __m256 c) { return _mm256_fmadd_ps(a, b, c); }  // a*b + c, one rounding
inline __m256 fms(__m256 a, __m256 b, __m256 c) { return _mm256_fmsub_ps(a, b, c); }  // a*b - c, one rounding

// log(x) for x in (0, 1]: x = m * 2^e with m in [sqrt(1/2), sqrt(2)), then
// log(1 + f) by a degree-9 polynomial and e * ln 2 split into two constants.
__m256 log8(__m256 x) {
  const __m256 one = splat(1.0f);
  __m256 invalid = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LE_OS);
  int32_t min_norm_bits = 0x00800000;
  float min_norm;
  std::memcpy(&min_norm, &min_norm_bits, 4);
  x = _mm256_max_ps(x, splat(min_norm));
  __m256i ebits = _mm256_srli_epi32(_mm256_castps_si256(x), 23);
  // Mantissa with exponent 0.5: m in [0.5, 1).
  x = _mm256_and_ps(x, _mm256_castsi256_ps(splat_i(~0x7f800000)));
  x = _mm256_or_ps(x, splat(0.5f));
  ebits = _mm256_sub_epi32(ebits, splat_i(0x7f));
  __m256 e = add(_mm256_cvtepi32_ps(ebits), one);
  // m < sqrt(1/2): use 2m - 1 and e - 1, else m - 1.
  __m256 small = _mm256_cmp_ps(x, splat(0.707106781186547524f), _CMP_LT_OS);
  __m256 keep = _mm256_and_ps(x, small);
  x = sub(x, one);
  e = sub(e, _mm256_and_ps(one, small));
  x = add(x, keep);
  __m256 z = mul(x, x);
  __m256 y = fma(splat(7.0376836292E-2f), x, splat(-1.1514610310E-1f));
  y = fma(y, x, splat(1.1676998740E-1f));
  y = fma(y, x, splat(-1.2420140846E-1f));
  y = fma(y, x, splat(1.4249322787E-1f));
  y = fma(y, x, splat(-1.6668057665E-1f));
  y = fma(y, x, splat(2.0000714765E-1f));
  y = fma(y, x, splat(-2.4999993993E-1f));
  y = fma(y, x, splat(3.3333331174E-1f));
  y = mul(y, x);
  y = fma(y, z, mul(e, splat(-2.12194440e-4f)));
  y = _mm256_fnmadd_ps(z, splat(0.5f), y);  // y - z/2
  x = add(x, y);
  x = fma(e, splat(0.693359375f), x);
  return _mm256_or_ps(x, invalid);  // x <= 0 -> NaN
}

// sin and cos of x: reduce by the octant j = (int(|x| * 4/pi) + 1) & ~1, with
// pi/4 split in three parts (Cody-Waite), evaluate both the sine and the
// cosine polynomial and pick per lane by octant, then fix the signs.
void sincos8(__m256 x, __m256* s, __m256* c) {
  const __m256 sign_mask = _mm256_castsi256_ps(splat_i(int(0x80000000u)));
  __m256 sign_sin = _mm256_and_ps(x, sign_mask);
  x = _mm256_andnot_ps(sign_mask, x);
  __m256 y = mul(x, splat(1.27323954473516f));  // 4 / pi
  __m256i j = _mm256_cvttps_epi32(y);
  j = _mm256_and_si256(_mm256_add_epi32(j, splat_i(1)), splat_i(~1));
  y = _mm256_cvtepi32_ps(j);
  __m256 swap_sin = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_and_si256(j, splat_i(4)), 29));
  __m256 use_cos_poly = _mm256_castsi256_ps(_mm256_cmpeq_epi32(_mm256_and_si256(j, splat_i(2)), _mm256_setzero_si256()));
  x = fma(y, splat(-0.78515625f), x);
  x = fma(y, splat(-2.4187564849853515625e-4f), x);
  x = fma(y, splat(-3.77489497744594108e-8f), x);
  __m256 sign_cos = _mm256_castsi256_ps(
      _mm256_slli_epi32(_mm256_andnot_si256(_mm256_sub_epi32(j, splat_i(2)), splat_i(4)), 29));
  sign_sin = _mm256_xor_ps(sign_sin, swap_sin);
  __m256 z = mul(x, x);
  // cos polynomial (valid for |x| <= pi/4).
  __m256 yc = fma(splat(2.443315711809948E-005f), z, splat(-1.388731625493765E-003f));
  yc = fma(yc, z, splat(4.166664568298827E-002f));
  yc = mul(yc, z);
  yc = fms(yc, z, mul(z, splat(0.5f)));
  yc = add(yc, splat(1.0f));
  // sin polynomial.
  __m256 ys = fma(splat(-1.9515295891E-4f), z, splat(8.3321608736E-3f));
  ys = fma(ys, z, splat(-1.6666654611E-1f));
  ys = mul(ys, z);
  ys = fma(ys, x, x);
  __m256 sin_part = _mm256_and_ps(use_cos_poly, ys);
  __m256 cos_part = _mm256_andnot_ps(use_cos_poly, yc);
  ys = sub(ys, sin_part);
  yc = sub(yc, cos_part);
  *s = _mm256_xor_ps(add(cos_part, sin_part), sign_sin);
  *c = _mm256_xor_ps(add(yc, ys), sign_cos);
}

void box_muller_16_avx2(float* d, __m256 mean, __m256 std) {
  __m256 u1 = sub(splat(1.0f), _mm256_loadu_ps(d));
  __m256 u2 = _mm256_loadu_ps(d + 8);
  __m256 r = _mm256_sqrt_ps(mul(splat(-2.0f), log8(u1)));
  __m256 theta = mul(splat(float(2.0f * kPi)), u2);
  __m256 sn, cs;
  sincos8(theta, &sn, &cs);
  _mm256_storeu_ps(d, fma(mul(r, cs), std, mean));
  _mm256_storeu_ps(d + 8, fma(mul(r, sn), std, mean));
}

// The scalar block transform (any capability for double, DEFAULT/AVX512 for
// float). `fused`: r*c*std + mean as one FMA (builds with FMA enabled).
template <typename T>
void box_muller_16_scalar(T* d, T mean, T std, bool fused) {
  for (int j = 0; j < 8; ++j) {
    T u1 = T(1) - d[j];
    T u2 = d[j + 8];
    T r = std::sqrt(T(-2) * std::log(u1));
    T theta = T(double(2.0f) * kPi * double(u2));
    T a = r * std::cos(theta), b = r * std::sin(theta);
    d[j] = fused ? std::fma(a, std, mean) : no_contract(a * std) + mean;
    d[j + 8] = fused ? std::fma(b, std, mean) : no_contract(b * std) + mean;
  }
}

template <typename T, typename Block>
void fill_blocks(T* data, int64_t n, Generator& g, Block block) {
  for (int64_t i = 0; i < n; ++i) data[i] = uniform_real<T>(g, T(0), T(1));
  for (int64_t i = 0; i + 16 <= n; i += 16) block(data + i);
  if (n % 16 != 0) {
    T* tail = data + n - 16;
    for (int i = 0; i < 16; ++i) tail[i] = uniform_real<T>(g, T(0), T(1));
    block(tail);
  }
}

}  // namespace

// ATen's DispatchStub choice. AVX512 kernels are opt-in in 1.13 (only by the
// environment variable); without it AVX2 is chosen when the CPU has AVX2+FMA.
Capability cpu_capability() {
  static const Capability cap = [] {
    if (const char* env = std::getenv("ATEN_CPU_CAPABILITY")) {
      if (std::strcmp(env, "default") == 0) return Capability::Default;
      if (std::strcmp(env, "avx512") == 0) return Capability::Avx512;
      if (std::strcmp(env, "avx2") == 0) return Capability::Avx2;
    }
    __builtin_cpu_init();
    return (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) ? Capability::Avx2
                                                                              : Capability::Default;
  }();
  return cap;
}

void normal_fill_float(float* data, int64_t n, float mean, float std, Generator& g) {
  Capability cap = cpu_capability();
  if (cap == Capability::Avx2) {
    __m256 m = splat(mean), s = splat(std);
    fill_blocks(data, n, g, [&](float* d) { box_muller_16_avx2(d, m, s); });
  } else {
    // DEFAULT matches libtorch bit for bit. AVX512 (opt-in) does not: its
    // float blocks differ by a few ulps from both the fused and the unfused
    // scalar formula (tested); the cause is inside libtorch's AVX512 build.
    bool fused = fma_contracted();
    fill_blocks(data, n, g, [&](float* d) { box_muller_16_scalar(d, mean, std, fused); });
  }
}

void normal_fill_double(double* data, int64_t n, double mean, double std, Generator& g) {
  bool fused = fma_contracted();
  fill_blocks(data, n, g, [&](double* d) { box_muller_16_scalar(d, mean, std, fused); });
}

}  // namespace ft::rng
