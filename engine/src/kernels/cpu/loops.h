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

}  // namespace ft::kernels
