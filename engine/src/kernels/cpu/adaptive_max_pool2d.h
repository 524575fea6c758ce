// Adaptive max pooling over (P, H, W) planes: output cell (oh, ow) takes the
// maximum of its adaptive window (adaptive_start/end in pool2d.h) and the
// index of that element in its H*W plane. As ATen's kernel: every NaN
// replaces the running maximum (so the last NaN's index wins), otherwise the
// first of equal maxima. The gradient is
// max_pool2d_scatter_kernel over the same indices.
#pragma once

#include <cmath>

#include "pool2d.h"

namespace ft::kernels {

template <typename T>
void adaptive_max_pool2d_kernel(const T* in, T* out, int64_t* idx, const Pool2dShape& s) {
  const int64_t HW = s.H * s.W, L = s.Ho * s.Wo;
  for_each_plane(s.P, HW, [&](int64_t p) {
    const T* x = in + p * HW;
    for (int64_t oh = 0; oh < s.Ho; ++oh) {
      const int64_t ih0 = adaptive_start(oh, s.Ho, s.H), ih1 = adaptive_end(oh, s.Ho, s.H);
      for (int64_t ow = 0; ow < s.Wo; ++ow) {
        const int64_t iw0 = adaptive_start(ow, s.Wo, s.W), iw1 = adaptive_end(ow, s.Wo, s.W);
        int64_t best = ih0 * s.W + iw0;
        T m = x[best];
        for (int64_t ih = ih0; ih < ih1; ++ih)
          for (int64_t iw = iw0; iw < iw1; ++iw) {
            const T v = x[ih * s.W + iw];
            if (v > m || std::isnan(double(v))) {
              m = v;
              best = ih * s.W + iw;
            }
          }
        out[p * L + oh * s.Wo + ow] = m;
        idx[p * L + oh * s.Wo + ow] = best;
      }
    }
  });
}

}  // namespace ft::kernels
