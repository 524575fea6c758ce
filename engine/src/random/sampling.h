// Internal: the per-element samplers of PyTorch's CPU distributions (one or
// two generator draws -> one value) and the element visiting order of its
// serial random kernels. Shared by the fills, factories and multinomial.
#pragma once

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "ft/random.h"

namespace ft::rng {

constexpr double kPi = 3.14159265358979323846;

Generator& resolve(Generator* g);

// NOTE [ CPU capability and FMA ]
// Libtorch compiles its random kernels once per CPU capability and picks one
// at start-up (ATEN_CPU_CAPABILITY, else AVX2 when the CPU has AVX2 + FMA;
// AVX512 is opt-in in 1.13). The AVX2/AVX512 builds run with FMA contraction
// (GCC, GNU mode), so every `a * b + c` in a sampler is one fused
// multiply-add there, while the DEFAULT build rounds the product first. The
// engine mirrors that choice so both sides agree under either setting.
enum class Capability { Default, Avx2, Avx512 };
Capability cpu_capability();
inline bool fma_contracted() {
  static const bool fused = cpu_capability() != Capability::Default;
  return fused;
}
// An opaque copy: the compiler cannot fuse a product through it into a later
// addition (GCC contracts a * b + c in C++ mode even under -std=c++20).
template <typename T>
inline T no_contract(T v) {
  asm("" : "+x"(v));
  return v;
}
// a * b + c with libtorch's rounding for the active capability.
template <typename T>
inline T mul_add(T a, T b, T c) {
  return fma_contracted() ? std::fma(a, b, c) : no_contract(a * b) + c;
}

// NOTE [ Uniform bits ]
// A uniform real in [from, to) takes the low `digits` bits of one draw, where
// digits is the mantissa width of the type: 24 bits of a 32-bit draw for
// float, 53 bits of a 64-bit draw (two 32-bit draws, first one high) for
// double. x = bits * 2^-digits is exact; the result is x * (to - from) + from
// computed in the type itself, as one fused multiply-add or not depending on
// the capability (NOTE [ CPU capability and FMA ]).
inline float uniform_float(Generator& g, float from, float to) {
  float x = float(g.random() & ((1u << 24) - 1)) * (1.0f / float(1u << 24));
  return mul_add(x, to - from, from);
}
inline double uniform_double(Generator& g, double from, double to) {
  double x = double(g.random64() & ((uint64_t(1) << 53) - 1)) * (1.0 / double(uint64_t(1) << 53));
  return mul_add(x, to - from, from);
}
template <typename T> inline T uniform_real(Generator& g, T from, T to);
template <> inline float uniform_real<float>(Generator& g, float from, float to) { return uniform_float(g, from, to); }
template <> inline double uniform_real<double>(Generator& g, double from, double to) {
  return uniform_double(g, from, to);
}

// NOTE [ Scalar normal path ]
// at::normal_distribution<double>: if the generator holds a cached sample,
// return it (and clear the cache). Otherwise draw u1, u2 (doubles, 53 bits),
// r = sqrt(-2 log(1 - u2)), theta = 2 pi u1; cache r sin(theta) and return
// r cos(theta). The cache is shared by every scalar-path fill (randn of fewer
// than 16 elements, non-contiguous normal_) and survives across calls until
// manual_seed resets it; the vectorized path neither reads nor writes it.
inline double normal_double(Generator& g, double mean, double std) {
  double z;
  if (auto c = g.next_double_normal_sample()) {
    z = *c;
    g.set_next_double_normal_sample(std::nullopt);
  } else {
    double u1 = uniform_double(g, 0.0, 1.0);
    double u2 = uniform_double(g, 0.0, 1.0);
    double r = std::sqrt(-2.0 * std::log(1.0 - u2));
    double theta = 2.0 * kPi * u1;
    g.set_next_double_normal_sample(r * std::sin(theta));
    z = r * std::cos(theta);
  }
  return mul_add(z, std, mean);
}

// at::uniform_int_from_to_distribution: (draw % range) + base, with a 64-bit
// draw only for 64-bit-capable types (int64, double, float, bfloat16) and a
// range of at least 2^32.
template <typename T>
inline T int_from_to(Generator& g, uint64_t range, int64_t base) {
  constexpr bool wide = std::is_same_v<T, int64_t> || std::is_same_v<T, double> || std::is_same_v<T, float>;
  uint64_t v = (wide && range >= (uint64_t(1) << 32)) ? g.random64() : uint64_t(g.random());
  return static_cast<T>(static_cast<int64_t>(v % range + uint64_t(base)));
}

// The order in which TensorIterator's serial loop visits the elements of
// `shape` for operands with `strides` (elements; output first): dims sorted
// fastest-first by the first operand whose strides tell them apart (stride-0
// dims ignored, ties broken by size), as reorder_dimensions does. Returns the
// dims fastest-first.
std::vector<int64_t> iteration_order(IntArrayRef shape, std::initializer_list<IntArrayRef> strides);

// Calls f(offsets) for every element in that order; offsets[k] is operand k's
// element offset from its data pointer.
template <size_t N, typename F>
void for_each_element(IntArrayRef shape, const std::array<IntArrayRef, N>& strides, F&& f) {
  int64_t numel = 1;
  for (int64_t s : shape) numel *= s;
  if (numel == 0) return;
  std::vector<int64_t> order;
  if constexpr (N == 1) order = iteration_order(shape, {strides[0]});
  else order = iteration_order(shape, {strides[0], strides[1]});
  // Drop size-1 dims; order[0] is the fastest.
  std::vector<int64_t> sz, st[N];
  for (int64_t d : order) {
    if (shape[size_t(d)] == 1) continue;
    sz.push_back(shape[size_t(d)]);
    for (size_t k = 0; k < N; ++k) st[k].push_back(strides[k][size_t(d)]);
  }
  std::array<int64_t, N> off{};
  std::vector<int64_t> idx(sz.size(), 0);
  for (int64_t i = 0; i < numel; ++i) {
    f(off);
    for (size_t d = 0; d < sz.size(); ++d) {
      if (++idx[d] < sz[d]) {
        for (size_t k = 0; k < N; ++k) off[k] += st[k][d];
        break;
      }
      idx[d] = 0;
      for (size_t k = 0; k < N; ++k) off[k] -= st[k][d] * (sz[d] - 1);
    }
  }
}

// Checks shared by every in-place fill (autograd leaf rule, overlap).
void check_fill_target(const Tensor& t);
// Version bump and zero-gradient history for a filled tensor.
void finish_fill(Tensor& t, const char* node_name);

// The vectorized normal fill (normal_fill.cpp): contiguous data, n >= 16.
void normal_fill_float(float* data, int64_t n, float mean, float std, Generator& g);
void normal_fill_double(double* data, int64_t n, double mean, double std, Generator& g);

}  // namespace ft::rng
