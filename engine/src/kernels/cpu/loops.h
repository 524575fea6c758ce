// The one strided iterator that every CPU kernel uses.
//
// NOTE [ Strided loops ]
// An op over N operands (outputs first) with a common logical shape is
// reduced to a "geometry": dims of size 1 dropped, adjacent dims merged when
// every operand is contiguous across them, strides in bytes. The innermost
// dim becomes the `n` of an inner function `inner(ptrs, strides, n)`; the
// outer dims are walked by a counter. A fully contiguous op therefore makes a
// single inner call over all elements (the contiguous fast path), and the
// inner functions stay plain loops the compiler vectorizes.
#pragma once

#include <array>
#include <cstdint>

#include "ft/array_ref.h"
#include "ft/parallel.h"

namespace ft::kernels {

template <size_t N>
struct Geometry {
  DimVector shape;                  // coalesced; innermost last
  std::array<DimVector, N> stride;  // bytes, per operand, same rank as shape
  int64_t numel = 1;
};

// elem_strides[k] are operand k's strides (elements) for `shape` (0 where broadcast).
template <size_t N>
Geometry<N> make_geometry(IntArrayRef shape, const std::array<IntArrayRef, N>& elem_strides,
                          const std::array<int64_t, N>& itemsizes) {
  Geometry<N> g;
  for (int64_t s : shape) g.numel *= s;
  // Keep dims of size != 1, innermost last.
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 1) continue;
    g.shape.push_back(shape[d]);
    for (size_t k = 0; k < N; ++k) g.stride[k].push_back(elem_strides[k][d] * itemsizes[k]);
  }
  // Merge dim i into i+1 (outer into inner) when contiguous for all operands.
  for (size_t i = g.shape.size(); i-- > 1;) {
    bool ok = true;
    for (size_t k = 0; k < N && ok; ++k) ok = g.stride[k][i - 1] == g.stride[k][i] * g.shape[i];
    if (!ok) continue;
    g.shape[i] *= g.shape[i - 1];
    g.shape.erase(i - 1);
    for (size_t k = 0; k < N; ++k) g.stride[k].erase(i - 1);
  }
  return g;
}

// inner(char* ptrs[N], const int64_t strides[N], int64_t n)
template <size_t N, typename F>
void run_geometry(const Geometry<N>& g, std::array<char*, N> base, F&& inner) {
  if (g.numel == 0) return;
  const size_t nd = g.shape.size();
  std::array<int64_t, N> inner_stride{};
  if (nd == 0) {
    inner(base.data(), inner_stride.data(), 1);
    return;
  }
  for (size_t k = 0; k < N; ++k) inner_stride[k] = g.stride[k][nd - 1];
  const int64_t n = g.shape[nd - 1];
  if (nd == 1) {
    inner(base.data(), inner_stride.data(), n);
    return;
  }
  DimVector counter(nd - 1, 0);
  std::array<char*, N> ptrs = base;
  while (true) {
    inner(ptrs.data(), inner_stride.data(), n);
    // Advance the outer counter (odometer), updating pointers incrementally.
    size_t d = nd - 1;
    while (d-- > 0) {
      if (++counter[d] < g.shape[d]) {
        for (size_t k = 0; k < N; ++k) ptrs[k] += g.stride[k][d];
        break;
      }
      for (size_t k = 0; k < N; ++k) ptrs[k] -= g.stride[k][d] * (g.shape[d] - 1);
      counter[d] = 0;
      if (d == 0) return;
    }
  }
}

// Rows [r0, r1) of the outer dims (row r = odometer position r), each
// through one inner call of g.shape.back() elements.
template <size_t N, typename F>
void run_geometry_rows(const Geometry<N>& g, std::array<char*, N> base, int64_t r0, int64_t r1, F& inner) {
  const size_t nd = g.shape.size();
  std::array<int64_t, N> inner_stride{};
  for (size_t k = 0; k < N; ++k) inner_stride[k] = g.stride[k][nd - 1];
  const int64_t n = g.shape[nd - 1];
  DimVector counter(nd - 1, 0);
  std::array<char*, N> ptrs = base;
  int64_t rem = r0;
  for (size_t d = nd - 1; d-- > 0;) {
    counter[d] = rem % g.shape[d];
    rem /= g.shape[d];
    for (size_t k = 0; k < N; ++k) ptrs[k] += counter[d] * g.stride[k][d];
  }
  for (int64_t r = r0; r < r1; ++r) {
    inner(ptrs.data(), inner_stride.data(), n);
    for (size_t d = nd - 1; d-- > 0;) {
      if (++counter[d] < g.shape[d]) {
        for (size_t k = 0; k < N; ++k) ptrs[k] += g.stride[k][d];
        break;
      }
      for (size_t k = 0; k < N; ++k) ptrs[k] -= g.stride[k][d] * (g.shape[d] - 1);
      counter[d] = 0;
    }
  }
}

// NOTE [ Parallel elementwise loops ]
// For element-wise kernels only (operand 0 is a non-overlapping output and
// no element depends on another). Above kParallelGrain elements the work is
// cut into chunks that depend only on the geometry (NOTE [ Deterministic
// chunking ]): whole outer rows when there are several, else pieces of the
// single row whose lengths are multiples of 64 elements, so a kernel that
// splits each inner call into 2-vector blocks plus a scalar tail (NOTE
// [ Matching ATen's vector paths ]) sees the same split as one serial call.
constexpr int64_t kParallelGrain = 32768;

template <size_t N, typename F>
void run_geometry_par(const Geometry<N>& g, std::array<char*, N> base, F&& inner) {
  if (g.numel < 2 * kParallelGrain || get_num_threads() == 1 || in_parallel_region()) {
    run_geometry(g, base, inner);
    return;
  }
  const size_t nd = g.shape.size();
  const int64_t n = g.shape[nd - 1];
  if (nd == 1) {
    parallel_for(0, n, kParallelGrain, [&](int64_t b, int64_t e) {
      std::array<char*, N> p = base;
      std::array<int64_t, N> st{};
      for (size_t k = 0; k < N; ++k) {
        st[k] = g.stride[k][0];
        p[k] += b * st[k];
      }
      inner(p.data(), st.data(), e - b);
    });
    return;
  }
  const int64_t rows = g.numel / n;
  const int64_t rows_per_chunk = n >= kParallelGrain ? 1 : kParallelGrain / n;
  parallel_for(0, rows, rows_per_chunk, [&](int64_t r0, int64_t r1) { run_geometry_rows(g, base, r0, r1, inner); });
}

}  // namespace ft::kernels
