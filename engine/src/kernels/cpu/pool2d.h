// 2-D pooling kernels over contiguous (P, H, W) planes (P = N*C), plain loops
// parallel over planes. Each plane is independent, so results do not depend
// on the chunking. Window arithmetic, visiting order, NaN handling and the
// accumulation order (row by row, in the input's type, starting from +0) are
// those of libtorch 1.13's CPU kernels, so sums round identically.
// BFloat16 as in 1.13: forward kernels compare and accumulate in float
// (opmath_t) and round once; backward kernels work in BFloat16, rounding
// after every division and every accumulation (c10's BFloat16 operators).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <type_traits>

#include "ft/dtype.h"
#include "ft/parallel.h"

namespace ft::kernels {

struct Pool2dShape {
  int64_t P = 1, H = 1, W = 1, Ho = 1, Wo = 1;
  int64_t kh = 1, kw = 1, sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1;
};

template <typename F>
void for_each_plane(int64_t P, int64_t plane_work, const F& f) {
  const int64_t grain = std::max<int64_t>(1, 16384 / std::max<int64_t>(plane_work, 1));
  parallel_for(0, P, grain, [&](int64_t b, int64_t e) {
    for (int64_t p = b; p < e; ++p) f(p);
  });
}

// ---- max pooling: the last NaN in the window wins, else the first maximum;
// an all -inf window reports its first element.
template <typename T>
void max_pool2d_kernel(const T* in, T* out, int64_t* idx, const Pool2dShape& s) {
  for_each_plane(s.P, s.Ho * s.Wo * s.kh * s.kw, [&](int64_t p) {
    const T* x = in + p * s.H * s.W;
    for (int64_t oh = 0; oh < s.Ho; ++oh) {
      int64_t ih0 = oh * s.sh - s.ph;
      const int64_t ih1 = std::min(ih0 + (s.kh - 1) * s.dh + 1, s.H);
      while (ih0 < 0) ih0 += s.dh;
      for (int64_t ow = 0; ow < s.Wo; ++ow) {
        int64_t iw0 = ow * s.sw - s.pw;
        const int64_t iw1 = std::min(iw0 + (s.kw - 1) * s.dw + 1, s.W);
        while (iw0 < 0) iw0 += s.dw;
        int64_t best = ih0 * s.W + iw0;
        using O = opmath_t<T>;
        O val = -std::numeric_limits<O>::infinity();
        for (int64_t ih = ih0; ih < ih1; ih += s.dh)
          for (int64_t iw = iw0; iw < iw1; iw += s.dw) {
            const O v = O(x[ih * s.W + iw]);
            if (v > val || std::isnan(v)) {
              val = v;
              best = ih * s.W + iw;
            }
          }
        const int64_t o = (p * s.Ho + oh) * s.Wo + ow;
        out[o] = T(val);
        idx[o] = best;
      }
    }
  });
}

// gin (P, H*W) = 0, then gin[idx[o]] += g[o] in output order. Indices outside
// the plane (possible only for an empty window) are skipped.
template <typename T>
void max_pool2d_scatter_kernel(const T* g, const int64_t* idx, T* gin, const Pool2dShape& s) {
  const int64_t HW = s.H * s.W, L = s.Ho * s.Wo;
  for_each_plane(s.P, HW + L, [&](int64_t p) {
    T* d = gin + p * HW;
    std::fill(d, d + HW, T(0));
    for (int64_t o = 0; o < L; ++o) {
      const int64_t i = idx[p * L + o];
      if (i >= 0 && i < HW) d[i] = T(opmath_t<T>(d[i]) + opmath_t<T>(g[p * L + o]));
    }
  });
}

// out (P, Ho*Wo)[o] = a (P, H*W)[idx[o]]: the adjoint of the scatter.
template <typename T>
void max_pool2d_gather_kernel(const T* a, const int64_t* idx, T* out, const Pool2dShape& s) {
  const int64_t HW = s.H * s.W, L = s.Ho * s.Wo;
  for_each_plane(s.P, L, [&](int64_t p) {
    for (int64_t o = 0; o < L; ++o) {
      const int64_t i = idx[p * L + o];
      out[p * L + o] = i >= 0 && i < HW ? a[p * HW + i] : T(0);
    }
  });
}

// ---- average pooling
// One window of avg_pool2d, clipped to the input; `divide` is 0 for a window
// wholly in the padding (its output is 0 and it gets no gradient).
struct AvgWindow {
  int64_t ih0, ih1, iw0, iw1, divide;
};
inline AvgWindow avg_window(const Pool2dShape& s, int64_t oh, int64_t ow, bool count_include_pad,
                            const std::optional<int64_t>& divisor) {
  int64_t ih0 = oh * s.sh - s.ph, iw0 = ow * s.sw - s.pw;
  int64_t ih1 = std::min(ih0 + s.kh, s.H + s.ph), iw1 = std::min(iw0 + s.kw, s.W + s.pw);
  const int64_t pool_size = (ih1 - ih0) * (iw1 - iw0);
  ih0 = std::max<int64_t>(ih0, 0);
  iw0 = std::max<int64_t>(iw0, 0);
  ih1 = std::min(ih1, s.H);
  iw1 = std::min(iw1, s.W);
  if (ih0 >= ih1 || iw0 >= iw1) return {ih0, ih1, iw0, iw1, 0};
  const int64_t divide = divisor ? *divisor : count_include_pad ? pool_size : (ih1 - ih0) * (iw1 - iw0);
  return {ih0, ih1, iw0, iw1, divide};
}

// Integer sums wrap and divide truncating (int64 avg_pool2d); floats divide
// by the count converted to T, as ATen's `sum / divide_factor`.
template <typename T>
T avg_divide(T sum, int64_t divide) {
  if constexpr (std::is_integral_v<T>) {
    if (divide == -1) return T(uint64_t(0) - uint64_t(int64_t(sum)));  // INT64_MIN / -1 would trap
    return T(int64_t(sum) / divide);
  } else {
    return sum / T(divide);
  }
}

template <typename T>
void avg_pool2d_kernel(const T* in, T* out, const Pool2dShape& s, bool count_include_pad,
                       const std::optional<int64_t>& divisor) {
  using O = opmath_t<T>;
  for_each_plane(s.P, s.Ho * s.Wo * s.kh * s.kw, [&](int64_t p) {
    const T* x = in + p * s.H * s.W;
    T* y = out + p * s.Ho * s.Wo;
    for (int64_t oh = 0; oh < s.Ho; ++oh)
      for (int64_t ow = 0; ow < s.Wo; ++ow) {
        const AvgWindow w = avg_window(s, oh, ow, count_include_pad, divisor);
        if (w.divide == 0) {
          y[oh * s.Wo + ow] = T(0);
          continue;
        }
        O sum = O(0);
        for (int64_t ih = w.ih0; ih < w.ih1; ++ih)
          for (int64_t iw = w.iw0; iw < w.iw1; ++iw) {
            if constexpr (std::is_integral_v<T>) sum = T(uint64_t(int64_t(sum)) + uint64_t(int64_t(x[ih * s.W + iw])));
            else sum += O(x[ih * s.W + iw]);
          }
        y[oh * s.Wo + ow] = T(O(0) + avg_divide(sum, w.divide));  // ATen adds onto a zeroed output: -0 becomes +0
      }
  });
}

template <typename T>
void avg_pool2d_backward_kernel(const T* g, T* gin, const Pool2dShape& s, bool count_include_pad,
                                const std::optional<int64_t>& divisor) {
  using O = opmath_t<T>;
  for_each_plane(s.P, s.Ho * s.Wo * s.kh * s.kw, [&](int64_t p) {
    const T* gy = g + p * s.Ho * s.Wo;
    T* gx = gin + p * s.H * s.W;
    std::fill(gx, gx + s.H * s.W, T(0));
    for (int64_t oh = 0; oh < s.Ho; ++oh)
      for (int64_t ow = 0; ow < s.Wo; ++ow) {
        const AvgWindow w = avg_window(s, oh, ow, count_include_pad, divisor);
        if (w.divide == 0) continue;
        const T delta = T(O(gy[oh * s.Wo + ow]) / O(T(w.divide)));
        for (int64_t ih = w.ih0; ih < w.ih1; ++ih)
          for (int64_t iw = w.iw0; iw < w.iw1; ++iw) gx[ih * s.W + iw] = T(O(gx[ih * s.W + iw]) + O(delta));
      }
  });
}

// ---- adaptive average pooling: output cell o of n over an input extent of
// len covers [floor(o*len/n), ceil((o+1)*len/n)) (ATen's start/end_index).
inline int64_t adaptive_start(int64_t o, int64_t n, int64_t len) { return (o / n) * len + ((o % n) * len) / n; }
inline int64_t adaptive_end(int64_t o, int64_t n, int64_t len) { return 1 + ((o + 1) * len - 1) / n; }

template <typename T>
void adaptive_avg_pool2d_kernel(const T* in, T* out, const Pool2dShape& s) {
  using O = opmath_t<T>;
  for_each_plane(s.P, s.H * s.W + s.Ho * s.Wo, [&](int64_t p) {
    const T* x = in + p * s.H * s.W;
    T* y = out + p * s.Ho * s.Wo;
    for (int64_t oh = 0; oh < s.Ho; ++oh) {
      const int64_t ih0 = adaptive_start(oh, s.Ho, s.H), ih1 = adaptive_end(oh, s.Ho, s.H);
      for (int64_t ow = 0; ow < s.Wo; ++ow) {
        const int64_t iw0 = adaptive_start(ow, s.Wo, s.W), iw1 = adaptive_end(ow, s.Wo, s.W);
        O sum = O(0);
        for (int64_t ih = ih0; ih < ih1; ++ih)
          for (int64_t iw = iw0; iw < iw1; ++iw) sum += O(x[ih * s.W + iw]);
        y[oh * s.Wo + ow] = T(sum / O(ih1 - ih0) / O(iw1 - iw0));
      }
    }
  });
}

template <typename T>
void adaptive_avg_pool2d_backward_kernel(const T* g, T* gin, const Pool2dShape& s) {
  using O = opmath_t<T>;
  for_each_plane(s.P, s.H * s.W + s.Ho * s.Wo, [&](int64_t p) {
    const T* gy = g + p * s.Ho * s.Wo;
    T* gx = gin + p * s.H * s.W;
    std::fill(gx, gx + s.H * s.W, T(0));
    for (int64_t oh = 0; oh < s.Ho; ++oh) {
      const int64_t ih0 = adaptive_start(oh, s.Ho, s.H), ih1 = adaptive_end(oh, s.Ho, s.H);
      for (int64_t ow = 0; ow < s.Wo; ++ow) {
        const int64_t iw0 = adaptive_start(ow, s.Wo, s.W), iw1 = adaptive_end(ow, s.Wo, s.W);
        const T delta = T(O(T(O(gy[oh * s.Wo + ow]) / O(T(ih1 - ih0)))) / O(T(iw1 - iw0)));
        for (int64_t ih = ih0; ih < ih1; ++ih)
          for (int64_t iw = iw0; iw < iw1; ++iw) gx[ih * s.W + iw] = T(O(gx[ih * s.W + iw]) + O(delta));
      }
    }
  });
}

}  // namespace ft::kernels
