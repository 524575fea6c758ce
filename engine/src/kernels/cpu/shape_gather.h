// Dtype-agnostic movement kernels of the shape family. They move whole
// elements (itemsize bytes) and never look at values, so one instantiation
// per element size serves every dtype.
//
// NOTE [ Gather by per-dim maps ]
// flip, roll, repeat, tile and repeat_interleave all produce an output whose
// element at multi-index (i_0, ..., i_{n-1}) is the input element at
// (map_0[i_0], ..., map_{n-1}[i_{n-1}]): each dim is remapped independently.
// The kernel turns every map into byte offsets once (map[i] * stride_d *
// itemsize) and walks the output with an odometer; the innermost dim is a
// plain loop over a table, so a strided or expanded input costs nothing extra.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "ft/array_ref.h"

namespace ft::kernels {

namespace detail_shape {
template <int64_t S>
inline void move_elem(char* d, const char* s) { std::memcpy(d, s, size_t(S)); }

template <int64_t S>
void gather_rows(char* dst, const char* src, IntArrayRef out_sizes, const std::vector<std::vector<int64_t>>& off) {
  const size_t nd = out_sizes.size();
  if (nd == 0) {
    move_elem<S>(dst, src);
    return;
  }
  const int64_t n = out_sizes[nd - 1];
  const int64_t* inner = off[nd - 1].data();
  std::vector<int64_t> counter(nd, 0);
  int64_t base = 0;  // byte offset of the current row's source, outer dims only
  for (size_t d = 0; d + 1 < nd; ++d) base += off[d][0];
  while (true) {
    for (int64_t i = 0; i < n; ++i) move_elem<S>(dst + i * S, src + base + inner[i]);
    dst += n * S;
    size_t d = nd - 1;
    while (d-- > 0) {
      base -= off[d][size_t(counter[d])];
      if (++counter[d] < out_sizes[d]) {
        base += off[d][size_t(counter[d])];
        break;
      }
      counter[d] = 0;
      base += off[d][0];
      if (d == 0) return;
    }
    if (nd == 1) return;
  }
}
}  // namespace detail_shape

// dst: contiguous, shape out_sizes. src: the input's element [0,...,0] with
// element strides src_strides (rank = out rank). maps[d]: out_sizes[d] source
// indices along dim d.
inline void gather_by_maps(char* dst, const char* src, IntArrayRef out_sizes, IntArrayRef src_strides,
                           const std::vector<std::vector<int64_t>>& maps, int64_t itemsize) {
  int64_t numel = 1;
  for (int64_t s : out_sizes) numel *= s;
  if (numel == 0) return;
  std::vector<std::vector<int64_t>> off(out_sizes.size());
  for (size_t d = 0; d < out_sizes.size(); ++d) {
    off[d].resize(size_t(out_sizes[d]));
    for (size_t i = 0; i < off[d].size(); ++i) off[d][i] = maps[d][i] * src_strides[d] * itemsize;
  }
  switch (itemsize) {
    case 1: detail_shape::gather_rows<1>(dst, src, out_sizes, off); break;
    case 2: detail_shape::gather_rows<2>(dst, src, out_sizes, off); break;
    case 4: detail_shape::gather_rows<4>(dst, src, out_sizes, off); break;
    default: detail_shape::gather_rows<8>(dst, src, out_sizes, off); break;
  }
}

// Triangular masking of a batch of matrices: dst (contiguous, (..., R, C))
// gets src's element where keep(row, col) and zero bytes elsewhere (0, 0.0,
// false all have an all-zero representation). src strides in elements.
template <typename Keep>
void tri_mask(char* dst, const char* src, IntArrayRef sizes, IntArrayRef src_strides, int64_t itemsize, Keep keep) {
  const size_t nd = sizes.size();
  if (nd < 2) return;  // only reached for an empty tensor (see tri_compute)
  int64_t batch = 1;
  for (size_t d = 0; d + 2 < nd; ++d) batch *= sizes[d];
  const int64_t rows = sizes[nd - 2], cols = sizes[nd - 1];
  if (batch * rows * cols == 0) return;
  const int64_t rs = src_strides[nd - 2] * itemsize, cs = src_strides[nd - 1] * itemsize;
  std::vector<int64_t> counter(nd - 2, 0);
  for (int64_t b = 0; b < batch; ++b) {
    int64_t base = 0;
    for (size_t d = 0; d + 2 < nd; ++d) base += counter[d] * src_strides[d] * itemsize;
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c, dst += itemsize) {
        if (keep(r, c)) std::memcpy(dst, src + base + r * rs + c * cs, size_t(itemsize));
        else std::memset(dst, 0, size_t(itemsize));
      }
    for (size_t d = nd - 2; d-- > 0;) {  // odometer over the batch dims
      if (++counter[d] < sizes[d]) break;
      counter[d] = 0;
    }
  }
}

}  // namespace ft::kernels
