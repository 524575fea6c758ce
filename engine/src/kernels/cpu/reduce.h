// Reduction kernel: out[kept...] = sum over reduced dims of in[...].
//
// NOTE [ Deterministic reductions ]
// Each output element is reduced by one thread in a fixed order: reduced
// elements are visited by the strided iterator (innermost fastest) and each
// contiguous run is summed pairwise in blocks, partial sums folded in order
// into an accumulator of type Acc (double for floating types, wrapping int64
// for integers). The result is a pure function of the input values and shape:
// identical for any thread count, and more accurate than a naive loop.
#pragma once

#include <immintrin.h>

#include <type_traits>
#include <vector>

#include "ft/tensor.h"
#include "loops.h"

namespace ft::kernels {

// A leaf block (n <= 256) of a contiguous float/double run summed in double.
template <typename T>
double leaf_sum_contig(const T* x, int64_t n) {
  __m256d acc0 = _mm256_setzero_pd(), acc1 = acc0, acc2 = acc0, acc3 = acc0;
  int64_t i = 0;
  if constexpr (std::is_same_v<T, float>) {
    // Floats: each group of 128 is summed pairwise in four 8-lane float
    // accumulators (four terms per lane, (a + b) + (c + d)), then widened into
    // the double accumulators: an eighth of the conversions of widening every
    // element, with each float partial holding just four terms.
    auto ld = [x](int64_t k) { return _mm256_loadu_ps(x + k); };
    auto widen = [](__m256 f) {
      return _mm256_add_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(f)), _mm256_cvtps_pd(_mm256_extractf128_ps(f, 1)));
    };
    for (; i + 128 <= n; i += 128) {
      __m256 f0 = _mm256_add_ps(_mm256_add_ps(ld(i), ld(i + 32)), _mm256_add_ps(ld(i + 64), ld(i + 96)));
      __m256 f1 = _mm256_add_ps(_mm256_add_ps(ld(i + 8), ld(i + 40)), _mm256_add_ps(ld(i + 72), ld(i + 104)));
      __m256 f2 = _mm256_add_ps(_mm256_add_ps(ld(i + 16), ld(i + 48)), _mm256_add_ps(ld(i + 80), ld(i + 112)));
      __m256 f3 = _mm256_add_ps(_mm256_add_ps(ld(i + 24), ld(i + 56)), _mm256_add_ps(ld(i + 88), ld(i + 120)));
      acc0 = _mm256_add_pd(acc0, widen(f0));
      acc1 = _mm256_add_pd(acc1, widen(f1));
      acc2 = _mm256_add_pd(acc2, widen(f2));
      acc3 = _mm256_add_pd(acc3, widen(f3));
    }
  }
  auto load4 = [x](int64_t k) {
    if constexpr (std::is_same_v<T, float>) return _mm256_cvtps_pd(_mm_loadu_ps(x + k));
    else return _mm256_loadu_pd(x + k);
  };
  // Four independent accumulators (16 lanes) hide the add latency; the
  // order is fixed by n alone, so the result is deterministic.
  for (; i + 16 <= n; i += 16) {
    acc0 = _mm256_add_pd(acc0, load4(i));
    acc1 = _mm256_add_pd(acc1, load4(i + 4));
    acc2 = _mm256_add_pd(acc2, load4(i + 8));
    acc3 = _mm256_add_pd(acc3, load4(i + 12));
  }
  for (; i + 4 <= n; i += 4) acc0 = _mm256_add_pd(acc0, load4(i));
  __m256d acc = _mm256_add_pd(_mm256_add_pd(acc0, acc1), _mm256_add_pd(acc2, acc3));
  alignas(32) double a[4];
  _mm256_store_pd(a, acc);
  for (; i < n; ++i) a[0] += double(x[i]);
  return (a[0] + a[1]) + (a[2] + a[3]);
}

template <typename Acc, typename T>
Acc run_sum(const char* p, int64_t stride, int64_t n) {
  if constexpr (std::is_floating_point_v<Acc>) {
    // Pairwise above a block: error grows with log(n), not n. Floats summed in
    // a double accumulator take much longer blocks (the double's 29 extra bits
    // absorb 8192 additions), which keeps the vector loop long and the
    // recursion short.
    constexpr int64_t kLeaf = std::is_same_v<Acc, double> && std::is_same_v<T, float> ? 8192 : 256;
    if (n > kLeaf) {
      int64_t h = n / 2;
      return run_sum<Acc, T>(p, stride, h) + run_sum<Acc, T>(p + h * stride, stride, n - h);
    }
    if constexpr (std::is_same_v<Acc, double> && (std::is_same_v<T, float> || std::is_same_v<T, double>))
      if (stride == int64_t(sizeof(T))) return leaf_sum_contig(reinterpret_cast<const T*>(p), n);
    Acc a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    int64_t i = 0;
    for (; i + 4 <= n; i += 4) {
      a0 += Acc(*reinterpret_cast<const T*>(p + (i + 0) * stride));
      a1 += Acc(*reinterpret_cast<const T*>(p + (i + 1) * stride));
      a2 += Acc(*reinterpret_cast<const T*>(p + (i + 2) * stride));
      a3 += Acc(*reinterpret_cast<const T*>(p + (i + 3) * stride));
    }
    for (; i < n; ++i) a0 += Acc(*reinterpret_cast<const T*>(p + i * stride));
    return (a0 + a1) + (a2 + a3);
  } else {
    uint64_t a = 0;  // wrapping integer sum
    for (int64_t i = 0; i < n; ++i) a += uint64_t(int64_t(*reinterpret_cast<const T*>(p + i * stride)));
    return Acc(a);
  }
}

// run_sum with the top levels of its pairwise tree evaluated in parallel: the
// tree (and so every rounding) is the serial one, whatever the thread count
// (NOTE [ Deterministic chunking ]).
template <typename Acc, typename T>
Acc run_sum_par(const char* p, int64_t stride, int64_t n) {
  constexpr int64_t kSeg = 1 << 16;
  if (n <= 2 * kSeg || get_num_threads() == 1 || in_parallel_region()) return run_sum<Acc, T>(p, stride, n);
  DimVector offs, lens;
  auto split = [&](auto&& self, int64_t off, int64_t len) -> void {
    if (len <= kSeg) { offs.push_back(off); lens.push_back(len); return; }
    int64_t h = len / 2;
    self(self, off, h);
    self(self, off + h, len - h);
  };
  split(split, 0, n);
  std::vector<Acc> part(offs.size());
  parallel_for(0, int64_t(offs.size()), 1, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) part[size_t(i)] = run_sum<Acc, T>(p + offs[size_t(i)] * stride, stride, lens[size_t(i)]);
  });
  size_t next = 0;
  auto combine = [&](auto&& self, int64_t len) -> Acc {
    if (len <= kSeg) return part[next++];
    int64_t h = len / 2;
    Acc l = self(self, h);
    return l + self(self, len - h);
  };
  return combine(combine, n);
}

// in: any strides; out: shape = in's shape with reduced dims set to 1 (keepdim
// form), any strides; `mask` bit d set => dim d reduced. R is out's type.
template <typename T, typename Acc, typename R, typename Finish>
void sum_reduce(const Tensor& out_keep, const Tensor& in, uint64_t mask, Finish finish) {
  DimVector kept_sizes, kept_in, kept_out, red_sizes, red_in;
  for (int64_t d = 0; d < in.dim(); ++d) {
    if (mask & (uint64_t(1) << d)) {
      red_sizes.push_back(in.sizes()[size_t(d)]);
      red_in.push_back(in.strides()[size_t(d)]);
    } else {
      kept_sizes.push_back(in.sizes()[size_t(d)]);
      kept_in.push_back(in.strides()[size_t(d)]);
      kept_out.push_back(out_keep.strides()[size_t(d)]);
    }
  }
  auto gr = make_geometry<1>(red_sizes, {IntArrayRef(red_in)}, {int64_t(sizeof(T))});
  auto gk = make_geometry<2>(kept_sizes, {IntArrayRef(kept_out), IntArrayRef(kept_in)},
                             {int64_t(sizeof(R)), int64_t(sizeof(T))});
  run_geometry(gk, {static_cast<char*>(out_keep.data_ptr()), static_cast<char*>(in.data_ptr())},
               [&](char** p, const int64_t* s, int64_t n) {
                 for (int64_t i = 0; i < n; ++i) {
                   Acc acc = 0;
                   run_geometry(gr, {p[1] + i * s[1]}, [&](char** q, const int64_t* qs, int64_t m) {
                     acc += run_sum_par<Acc, T>(q[0], qs[0], m);
                   });
                   *reinterpret_cast<R*>(p[0] + i * s[0]) = finish(acc);
                 }
               });
}

}  // namespace ft::kernels
