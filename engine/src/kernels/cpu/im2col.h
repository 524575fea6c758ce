// im2col / col2im for one group of one sample of a 2-D convolution.
//
// The column matrix has one row per (channel, kernel row, kernel column) and
// one column per output position: col[(c*kh + i)*kw + j][oh*Wo + ow] is the
// input element under kernel tap (i, j) of output (oh, ow), or 0 in padding.
// Then out = W (Cout, K) @ col (K, L). col2im is the adjoint: it adds every
// column entry back onto the input element it was copied from, in a fixed
// order (rows, then output rows, then output columns), so it is deterministic.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "conv2d.h"

namespace ft::kernels {

// The output columns [lo, hi) whose input column ow*sw + off lies in [0, W).
inline void valid_cols(int64_t off, int64_t sw, int64_t W, int64_t Wo, int64_t& lo, int64_t& hi) {
  lo = off >= 0 ? 0 : (-off + sw - 1) / sw;
  hi = W - 1 - off < 0 ? 0 : std::min<int64_t>(Wo, (W - 1 - off) / sw + 1);
  lo = std::min(lo, Wo);
  hi = std::max(hi, lo);
}

// in: (Cg, H, W) contiguous; col: (Cg*kh*kw, (oh1 - oh0)*Wo), the columns of
// output rows [oh0, oh1) (all rows by default).
template <typename T>
void im2col(const T* in, T* col, int64_t Cg, const Conv2dShape& s, int64_t oh0 = 0, int64_t oh1 = -1) {
  if (oh1 < 0) oh1 = s.Ho;
  const int64_t L = (oh1 - oh0) * s.Wo;
  for (int64_t c = 0; c < Cg; ++c) {
    const T* plane = in + c * s.H * s.W;
    for (int64_t i = 0; i < s.kh; ++i) {
      for (int64_t j = 0; j < s.kw; ++j) {
        T* row = col + ((c * s.kh + i) * s.kw + j) * L;
        const int64_t off_w = j * s.dw - s.pl;
        int64_t lo, hi;
        valid_cols(off_w, s.sw, s.W, s.Wo, lo, hi);
        for (int64_t oh = oh0; oh < oh1; ++oh) {
          T* d = row + (oh - oh0) * s.Wo;
          const int64_t ih = oh * s.sh - s.pt + i * s.dh;
          if (ih < 0 || ih >= s.H) {
            std::fill(d, d + s.Wo, T(0));
            continue;
          }
          const T* src = plane + ih * s.W + off_w;
          std::fill(d, d + lo, T(0));
          if (s.sw == 1) {
            std::memcpy(d + lo, src + lo, size_t(hi - lo) * sizeof(T));
          } else {
            for (int64_t ow = lo; ow < hi; ++ow) d[ow] = src[ow * s.sw];
          }
          std::fill(d + hi, d + s.Wo, T(0));
        }
      }
    }
  }
}

// col: (Cg*kh*kw, Ho*Wo); in: (Cg, H, W), accumulated into (callers zero it).
template <typename T>
void col2im(const T* col, T* in, int64_t Cg, const Conv2dShape& s) {
  const int64_t L = s.Ho * s.Wo;
  for (int64_t c = 0; c < Cg; ++c) {
    T* plane = in + c * s.H * s.W;
    for (int64_t i = 0; i < s.kh; ++i) {
      for (int64_t j = 0; j < s.kw; ++j) {
        const T* row = col + ((c * s.kh + i) * s.kw + j) * L;
        const int64_t off_w = j * s.dw - s.pl;
        int64_t lo, hi;
        valid_cols(off_w, s.sw, s.W, s.Wo, lo, hi);
        for (int64_t oh = 0; oh < s.Ho; ++oh) {
          const int64_t ih = oh * s.sh - s.pt + i * s.dh;
          if (ih < 0 || ih >= s.H) continue;
          const T* src = row + oh * s.Wo;
          T* dst = plane + ih * s.W + off_w;
          if (s.sw == 1) {
            for (int64_t ow = lo; ow < hi; ++ow) dst[ow] += src[ow];
          } else {
            for (int64_t ow = lo; ow < hi; ++ow) dst[ow * s.sw] += src[ow];
          }
        }
      }
    }
  }
}

}  // namespace ft::kernels
